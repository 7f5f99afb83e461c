/**
 * A fresh Lambda-like process: loads one bundle, handles one event, reports, exits. Settings come from the
 * environment (the function's own, plus BENCH_*), so that this process does nothing the function would not:
 *   BENCH_BUNDLE   the bundle to `require` (or `naive-sync`: the bench's sequential sync instead)
 *   BENCH_EVENT    the event, JSON
 *   BENCH_RESULT   where to write the report, JSON
 */
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../functions/config';
import { lambdaContext } from './lambda-events';
import { naiveSync } from './naive-sync';

export interface InvokeReport {
  readonly ok: boolean;
  readonly detail: string;
  /** The handler call alone, from the call to its settled promise. */
  readonly handlerMs: number;
  /** The process's CPU time (user + system) during the handler call: what another process's load barely changes. */
  readonly handlerCpuMs: number;
  /** The process's peak resident set (kernel's maxRSS), bytes. */
  readonly maxRssBytes: number;
  readonly result?: unknown;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

async function main(): Promise<void> {
  const bundle = required('BENCH_BUNDLE');
  const event = JSON.parse(required('BENCH_EVENT')) as unknown;
  const invoke: Handler =
    bundle === 'naive-sync'
      ? () => naiveSync(loadConfig(process.env), (event as { pimHost: string }).pimHost)
      : (require(bundle) as { handler: Handler }).handler;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const measured = () => {
    const cpu = process.cpuUsage(cpuBefore);
    return {
      handlerMs: performance.now() - started,
      handlerCpuMs: (cpu.user + cpu.system) / 1000,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  };
  let report: InvokeReport;
  try {
    const result = await invoke(event, lambdaContext(15 * 60_000));
    report = { ok: true, detail: '', ...measured(), result };
  } catch (error) {
    report = { ok: false, detail: String(error), ...measured() };
  }
  writeFileSync(required('BENCH_RESULT'), JSON.stringify(report));
  process.exit(0);
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
