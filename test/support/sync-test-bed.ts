import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessCallSlots } from '../../functions/adapters/call-slots';
import { DynamoDbSyncStateStore } from '../../functions/adapters/connection-store';
import { LocalDirectoryProductSink, partName, runPrefix } from '../../functions/adapters/product-sink';
import { LocalDirectoryRunEvents } from '../../functions/adapters/run-events';
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue/in-memory';
import { LocalKeyTokenCipher } from '../../functions/adapters/token-cipher/local-key';
import { loadConfig } from '../../functions/config';
import type { SyncCheckpoint } from '../../functions/core/connection';
import { PimAccess } from '../../functions/pim-access';
import type { SyncProductsDeps } from '../../functions/use-cases/sync-products';
import { ensureTables } from '../../local/tables';
import { saveActiveConnection } from './active-connection';
import { dynamoDbEndpoint, testDocumentClient, uniqueTableNames } from './dynamodb';

/** What every step of a sync under test shares; the test adds the rest (`reserveMs`, the split, the catalog, …). */
export type SyncStepBase = Pick<
  SyncProductsDeps,
  'pims' | 'store' | 'sink' | 'queue' | 'runEvents' | 'overlapSeconds' | 'now' | 'randomBytes'
>;

/**
 * The sync use case's world beside the sandbox PIM: the connections table in DynamoDB Local, a token cipher, and a
 * fresh export directory for each test. Call it inside a `describe`: it registers the hooks that make them.
 */
export function syncTestBed(directoryPrefix: string) {
  const tables = uniqueTableNames();
  const config = loadConfig({
    APP_MODE: 'local',
    DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
    STATES_TABLE_NAME: tables.statesTableName,
    CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
  });
  const cipher = new LocalKeyTokenCipher(randomBytes(32));
  const documents = testDocumentClient();
  const store = new DynamoDbSyncStateStore({ client: documents, tableName: tables.connectionsTableName });
  let directory = '';

  beforeAll(() => ensureTables(documents, config));
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), directoryPrefix));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  return {
    tables,
    documents,
    store,

    /** The active connection of a PIM (the sandbox, a fake) in DynamoDB Local, its token sealed to its host; its host. */
    saveConnection(
      pim: { readonly url: string },
      token: string,
      options: { scopes?: readonly string[]; extra?: Record<string, unknown> } = {},
    ): Promise<string> {
      return saveActiveConnection({ documents, tableName: tables.connectionsTableName, cipher }, pim, token, options);
    },

    /**
     * A step's shared dependencies on this world: the PIM reached with in-process call slots, the store (each
     * checkpoint saved also pushed to `checkpoints`), the export directory, an in-memory queue, 5 s of overlap.
     */
    stepBase({ now = () => new Date(), checkpoints = [] as SyncCheckpoint[] } = {}): SyncStepBase {
      return {
        pims: new PimAccess({
          store,
          cipher,
          pimUrlPolicy: { local: true },
          callSlots: new InProcessCallSlots(),
          now,
          timeoutMs: 10_000,
        }),
        store: {
          get: (host) => store.get(host),
          saveCheckpoint: async (host, checkpoint) => {
            checkpoints.push(checkpoint);
            await store.saveCheckpoint(host, checkpoint);
          },
          completeRun: (host, run) => store.completeRun(host, run),
          clearRunEvent: (host, runId) => store.clearRunEvent(host, runId),
        },
        sink: new LocalDirectoryProductSink(directory),
        queue: new InMemorySyncQueue(),
        runEvents: new LocalDirectoryRunEvents(join(directory, 'events')),
        overlapSeconds: 5,
        now,
        randomBytes: (size) => randomBytes(size),
      };
    },

    /** The uuids of a run's parts 1 to `parts`, in part order, as the export directory holds them. */
    exportedUuids(pimHost: string, run: { readonly runId: string; readonly parts: number }): string[] {
      const runDirectory = join(directory, runPrefix({ pimHost, runId: run.runId }));
      const uuids: string[] = [];
      for (let part = 1; part <= run.parts; part += 1) {
        const text = readFileSync(join(runDirectory, partName(part)), 'utf8').trim();
        uuids.push(...text.split('\n').map((line) => (JSON.parse(line) as { uuid: string }).uuid));
      }
      return uuids;
    },
  };
}
