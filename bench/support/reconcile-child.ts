import { readFileSync, writeFileSync } from 'node:fs';
import { InProcessCallSlots } from '../../functions/adapters/call-slots/in-process';
import { LocalDirectoryProductSink } from '../../functions/adapters/product-sink';
import { LocalDirectoryUuidSnapshots } from '../../functions/adapters/uuid-snapshots';
import type { Connection } from '../../functions/core/connection';
import { PimClient } from '../../functions/pim-access';
import { reconcileProducts } from '../../functions/use-cases/reconcile-products';

/**
 * One reconciliation pass in a fresh process, for its peak RSS: the real use case and PIM client over HTTP to the
 * sandbox, the local directory sink and snapshots under `directory`; the connection record (its last snapshot) is
 * read from and written back to `state` (a JSON file), as DynamoDB would keep it. argv: pimUrl token directory
 * state result.
 */
async function main(): Promise<void> {
  const [pimUrl = '', accessToken = '', directory = '', stateFile = '', resultFile = ''] = process.argv.slice(2);
  const pimHost = new URL(pimUrl).host;
  let connection: Connection = JSON.parse(readFileSync(stateFile, 'utf8'));
  const store = {
    get: async () => connection,
    saveReconcileCheckpoint: async () => undefined,
    completeReconciliation: async (_host: string, pass: { snapshot: Connection['lastReconciliation'] }) => {
      connection = { ...connection, lastReconciliation: pass.snapshot };
    },
    clearReconciliationEvent: async () => undefined,
  };
  const started = performance.now();
  const outcome = await reconcileProducts({
    pims: {
      withPim: async (_stored, use) => {
        const pim = new PimClient({
          connection,
          baseUrl: pimUrl,
          accessToken,
          callSlots: new InProcessCallSlots(),
          markInactive: async () => false,
          rest: {},
        });
        try {
          return { status: 'done', value: await use(pim) };
        } finally {
          await pim.close();
        }
      },
    } as Parameters<typeof reconcileProducts>[0]['pims'],
    store: store as unknown as Parameters<typeof reconcileProducts>[0]['store'],
    sink: new LocalDirectoryProductSink(directory),
    snapshots: new LocalDirectoryUuidSnapshots(directory),
    queue: { send: async () => 0 },
    runEvents: { publishReconciliationCompleted: async () => undefined },
    productSource: 'products',
    periodHours: 24,
    reserveMs: 0,
    now: () => new Date(),
    randomBytes: (size) => new Uint8Array(size).map(() => Math.floor(Math.random() * 256)),
  })({ pimHost, force: true, timeLeftMs: () => Number.POSITIVE_INFINITY });
  writeFileSync(stateFile, JSON.stringify(connection));
  writeFileSync(
    resultFile,
    JSON.stringify({
      outcome,
      ms: performance.now() - started,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
