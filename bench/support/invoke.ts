import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR } from './build';
import type { InvokeReport } from './invoke-child';

/** Runs `invoke-child` in a fresh process: one event through one bundle (or the naive sync), and its report. */
export async function invokeInChild(
  script: string,
  env: Record<string, string>,
  bundle: string,
  event: unknown,
): Promise<InvokeReport> {
  const directory = join(OUT_DIR, 'invoke');
  mkdirSync(directory, { recursive: true });
  const resultFile = join(directory, `result-${process.pid}-${Date.now()}.json`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [...profileFlags(), script], {
      env: { ...env, BENCH_BUNDLE: bundle, BENCH_EVENT: JSON.stringify(event), BENCH_RESULT: resultFile },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`invoke-child exited with ${code}`))));
  });
  const report = JSON.parse(readFileSync(resultFile, 'utf8')) as InvokeReport;
  rmSync(resultFile, { force: true });
  return report;
}

/**
 * `BENCH_CPU_PROF=<directory>`: each child process writes a V8 CPU profile there (`--cpu-prof`), for
 * `npx tsx bench/profile-report.ts <profile>`. The timings of a profiled run are not the bench's figures.
 */
function profileFlags(): string[] {
  const directory = process.env.BENCH_CPU_PROF;
  return directory ? ['--cpu-prof', `--cpu-prof-dir=${directory}`] : [];
}
