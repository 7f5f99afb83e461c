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
  /** The process's peak resident set (kernel's maxRSS), bytes. */
  readonly maxRssBytes: number;
  /** CPU time (user + system) the process spent during the handler call, ms. */
  readonly handlerCpuMs?: number;
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
  const handlerCpuMs = () => {
    const used = process.cpuUsage(cpuBefore);
    return (used.user + used.system) / 1000;
  };
  let report: InvokeReport;
  try {
    const result = await invoke(event, lambdaContext(15 * 60_000));
    const handlerMs = performance.now() - started;
    const maxRssBytes = process.resourceUsage().maxRSS * 1024;
    report = { ok: true, detail: '', handlerMs, maxRssBytes, handlerCpuMs: handlerCpuMs(), result };
  } catch (error) {
    const handlerMs = performance.now() - started;
    report = { ok: false, detail: String(error), handlerMs, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
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
