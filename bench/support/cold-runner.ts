/**
 * The process whose whole lifetime is the cold-start figure: `node cold-runner.js` loads one bundle, handles one
 * event, writes a one-line report (with the process's CPU time so far) and exits. It imports nothing but `node:fs`, so the empty handler's run is the
 * floor: Node's own start, this file, and the handler call.
 *   BENCH_BUNDLE  the bundle to `require`;  BENCH_EVENT  the event, JSON;  BENCH_RESULT  the report file
 */
import { writeFileSync } from 'node:fs';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const env = (name: string) => process.env[name] ?? '';
const deadline = Date.now() + 60_000;
/** User + system CPU time since the process started, in ms. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const context = { awsRequestId: 'cold', functionName: 'bench', getRemainingTimeInMillis: () => deadline - Date.now() };

async function main(): Promise<void> {
  const { handler } = require(env('BENCH_BUNDLE')) as { handler: Handler };
  const result = await handler(JSON.parse(env('BENCH_EVENT')), context);
  writeFileSync(env('BENCH_RESULT'), JSON.stringify({ ok: true, result, cpuMs: cpuMs() }));
}

main()
  .catch((error: unknown) =>
    writeFileSync(env('BENCH_RESULT'), JSON.stringify({ ok: false, error: String(error), cpuMs: cpuMs() })),
  )
  .finally(() => process.exit(0));
