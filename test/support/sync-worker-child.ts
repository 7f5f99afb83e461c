/**
 * One run step of the sync worker's use case, in a process of its own, for tests that need the worker's own Node.js
 * flags (its heap bound): the configuration comes from the environment (local mode), the PIM host from
 * `SYNC_PIM_HOST`. Prints one JSON line, `{"outcome":…}` or `{"error":{"code","message"}}` (exit code 1).
 */
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue';
import { loadConfig } from '../../functions/config';
import { createSyncWorkerDeps } from '../../functions/wiring/sync-worker';

async function main(): Promise<void> {
  const pimHost = process.env.SYNC_PIM_HOST;
  if (!pimHost) throw new Error('SYNC_PIM_HOST is not set');
  const sync = createSyncWorkerDeps(loadConfig(process.env), { queue: new InMemorySyncQueue() }).syncProducts;
  const outcome = await sync({ pimHost, timeLeftMs: () => 10 * 60_000 });
  process.stdout.write(`${JSON.stringify({ outcome })}\n`);
}

main().catch((error: unknown) => {
  const { code, message } = error as { code?: unknown; message?: unknown };
  process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  process.exitCode = 1;
});
