import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR } from './build';
import { cpuProfileFlags } from './cpu-profile';
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
    const child = spawn(process.execPath, [...cpuProfileFlags(bundle), script], {
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
