/**
 * What the shared call slots cost in DynamoDB requests, per call to the PIM (issue 14, item 3), and what keeping a
 * lease for the same instance's next call would save. Not part of `npm run bench`; run it alone:
 *
 *   npx tsx bench/call-slots-cost.ts
 *
 * DynamoDB is dynalite in this process, the PIM the sandbox with 100 ms of latency on every API call. Two scenarios,
 * each on a fresh PIM: the sync alone (the sync use case, its REST client on shared slots), then the sync and two
 * workers at once, each an instance with its own `DynamoDbCallSlots` and REST client. It counts requests, not time;
 * the only timings it reads are the ends and starts of calls, to find which calls a kept lease would have served.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { type CallSlots, DynamoDbCallSlots } from '../functions/adapters/call-slots';
import { DynamoDbSyncStateStore } from '../functions/adapters/connection-store';
import { LocalDirectoryProductSink } from '../functions/adapters/product-sink';
import { LocalDirectoryRunEvents } from '../functions/adapters/run-events';
import { InMemorySyncQueue } from '../functions/adapters/sync-queue';
import { LocalKeyTokenCipher } from '../functions/adapters/token-cipher/local-key';
import { AkeneoRestClient } from '../functions/akeneo/rest-client';
import { loadConfig } from '../functions/config';
import { PimAccess } from '../functions/pim-access';
import { syncProducts } from '../functions/use-cases/sync-products';
import { ensureTables } from '../local/tables';
import { type SandboxPim, startSandboxPim } from '../sandbox';
import { connectApp } from '../test/sandbox/sandbox-helpers';
import { countDynamoDbCalls, type DynamoDbCalls } from '../test/support/dynamodb-calls';

const PRODUCTS = 2_000;
const LATENCY_MS = 100;
const WORKER_LANES = 6;
/** How long a kept lease would wait for the same instance's next call. */
const HOLDS_MS = [0, 5, 50];
const TABLES = {
  STATES_TABLE_NAME: 'cost-states',
  CONNECTIONS_TABLE_NAME: 'cost-connections',
  CALL_SLOTS_TABLE_NAME: 'cost-call-slots',
};

/** One call through an instance's slots: when it asked, when its call started and ended. */
interface CallTimes {
  readonly asked: number;
  /** It asked while 4 other calls of its instance were after the PIM's slots: it waited for one of them. */
  readonly queuedHere: boolean;
  started?: number;
  ended?: number;
}

/** An instance's slots, counted: its DynamoDB requests, and the times of its calls. */
class MeasuredSlots implements CallSlots {
  readonly calls: DynamoDbCalls;
  readonly times: CallTimes[] = [];
  private readonly slots: DynamoDbCallSlots;
  private inProgress = 0;

  constructor(endpoint: string) {
    const client = documentClient(endpoint);
    this.calls = countDynamoDbCalls(client);
    this.slots = new DynamoDbCallSlots({ client, tableName: TABLES.CALL_SLOTS_TABLE_NAME });
  }

  run<T>(pimHost: string, call: () => Promise<T>, limits?: Parameters<CallSlots['run']>[2]): Promise<T> {
    const times: CallTimes = { asked: performance.now(), queuedHere: this.inProgress >= 4 };
    this.times.push(times);
    this.inProgress += 1;
    return this.slots
      .run(
        pimHost,
        async () => {
          times.started = performance.now();
          try {
            return await call();
          } finally {
            times.ended = performance.now();
          }
        },
        limits,
      )
      .finally(() => {
        this.inProgress -= 1;
      });
  }
}

function documentClient(endpoint: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/**
 * The calls a lease kept `holdMs` after its call ended would have served instead of taking a slot: a call of the
 * same instance that was queued behind its 4 when the call ended, or asked within `holdMs` after. (A call already
 * after a slot of its own when another ends, as the sync's next page is, would not have used it.) Each kept lease
 * serves at most one next call.
 */
function servedByHold(times: readonly CallTimes[], holdMs: number): number {
  const ends = times.map((call) => call.ended ?? Number.NaN).sort((a, b) => a - b);
  const byAsk = [...times].sort((a, b) => a.asked - b.asked);
  const served = new Set<CallTimes>();
  for (const end of ends) {
    const next = byAsk.find(
      (call) =>
        !served.has(call) &&
        (call.started ?? Number.NaN) >= end &&
        ((call.queuedHere && call.asked < end) || (call.asked >= end && call.asked <= end + holdMs)),
    );
    if (next) served.add(next);
  }
  return served.size;
}

interface World {
  readonly endpoint: string;
  readonly pim: SandboxPim;
  readonly pimHost: string;
  readonly accessToken: string;
  readonly cipher: LocalKeyTokenCipher;
  readonly exports: string;
}

async function newPim(endpoint: string, documents: DynamoDBDocumentClient, exports: string): Promise<World> {
  const pim = await startSandboxPim({
    productCount: PRODUCTS,
    apps: [
      {
        name: 'Cost app',
        activateUrl: 'https://app.example.com/activate',
        callbackUrl: 'https://app.example.com/callback',
      },
    ],
  });
  const app = pim.findAppByName('Cost app');
  if (!app) throw new Error('The sandbox did not register the app');
  const accessToken = (await connectApp(pim, app, 'read_products')).access_token;
  const pimHost = new URL(pim.url).host;
  const cipher = new LocalKeyTokenCipher(randomBytes(32));
  const now = new Date().toISOString();
  await documents.send(
    new PutCommand({
      TableName: TABLES.CONNECTIONS_TABLE_NAME,
      Item: {
        pimHost,
        pimUrl: pim.url,
        status: 'active',
        encryptedToken: (await cipher.prepare(pimHost)).seal(accessToken),
        tokenVersion: 'v1',
        scopes: ['read_products'],
        firstConnectedAt: now,
        connectedAt: now,
        updatedAt: now,
        lastStateHash: 'h',
      },
    }),
  );
  pim.setApiLatency(LATENCY_MS);
  return { endpoint, pim, pimHost, accessToken, cipher, exports };
}

async function runSync(world: World, slots: CallSlots): Promise<void> {
  const store = new DynamoDbSyncStateStore({
    client: documentClient(world.endpoint),
    tableName: TABLES.CONNECTIONS_TABLE_NAME,
  });
  const outcome = await syncProducts({
    pims: new PimAccess({
      store,
      cipher: world.cipher,
      pimUrlPolicy: { local: true },
      callSlots: slots,
      now: () => new Date(),
    }),
    store,
    sink: new LocalDirectoryProductSink(world.exports),
    queue: new InMemorySyncQueue(),
    runEvents: new LocalDirectoryRunEvents(join(world.exports, 'events')),
    overlapSeconds: 5,
    reserveMs: 0,
    now: () => new Date(),
    randomBytes: (size) => randomBytes(size),
  })({ pimHost: world.pimHost, timeLeftMs: () => 10 * 60_000 });
  if (outcome.kind !== 'completed' || outcome.productCount !== PRODUCTS) {
    throw new Error(`The sync did not export every product: ${JSON.stringify(outcome)}`);
  }
}

async function runWorker(world: World, slots: CallSlots, syncing: () => boolean): Promise<void> {
  const client = new AkeneoRestClient({ pimUrl: world.pim.url, accessToken: world.accessToken, callSlots: slots });
  try {
    await Promise.all(
      Array.from({ length: WORKER_LANES }, async () => {
        while (syncing()) await client.getJson(`${world.pim.url}/api/rest/v1/products-uuid?limit=10`);
      }),
    );
  } finally {
    await client.close();
  }
}

function report(title: string, pim: SandboxPim, instances: Record<string, MeasuredSlots>): void {
  const lines = Object.entries(instances).map(([name, slots]) => {
    const count = (operation: string) => slots.calls.byOperation[operation] ?? { ok: 0, refused: 0 };
    const calls = slots.times.length;
    const all = (operation: string) => count(operation).ok + count(operation).refused;
    // Updates: a call standing in line, renewing or leaving its place, and a release that hands a slot over.
    const writes = all('PutItem') + all('DeleteItem') + all('UpdateItem');
    const reads = count('Query').ok;
    const longestWaitMs = Math.max(0, ...slots.times.map((times) => (times.started ?? times.asked) - times.asked));
    const held = HOLDS_MS.map((hold) => `${hold} ms: ${pct(servedByHold(slots.times, hold), calls)}`).join(', ');
    return (
      `  ${name.padEnd(9)} ${String(calls).padStart(4)} calls | takes ${count('PutItem').ok}, refused ` +
      `${count('PutItem').refused}, releases ${count('DeleteItem').ok}, updates ${all('UpdateItem')}, queries ` +
      `${reads} | longest wait ${Math.round(longestWaitMs)} ms | ` +
      `${(writes / calls).toFixed(2)} writes and ${(reads / calls).toFixed(2)} reads per call | ` +
      `calls a kept lease would serve (hold ${held})`
    );
  });
  const perToken = Object.values(pim.apiStats.maxConcurrentPerToken);
  process.stdout.write(
    `${title}: ${pim.apiStats.requests} calls at the PIM, at most ${Math.max(...perToken)} in flight\n${lines.join('\n')}\n`,
  );
}

const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(0)} %`;

async function main(): Promise<void> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const raw = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
  });
  await ensureTables(raw, loadConfig({ APP_MODE: 'aws', ...TABLES }));
  const documents = DynamoDBDocumentClient.from(raw);
  const exports = mkdtempSync(join(tmpdir(), 'call-slots-cost-'));
  const pims: SandboxPim[] = [];
  try {
    const alone = await newPim(endpoint, documents, exports);
    pims.push(alone.pim);
    const syncAlone = new MeasuredSlots(endpoint);
    await runSync(alone, syncAlone);
    report(`The sync alone (${PRODUCTS} products)`, alone.pim, { sync: syncAlone });

    const shared = await newPim(endpoint, documents, exports);
    pims.push(shared.pim);
    const instances = {
      sync: new MeasuredSlots(endpoint),
      'worker 1': new MeasuredSlots(endpoint),
      'worker 2': new MeasuredSlots(endpoint),
    };
    let syncing = true;
    const working = [instances['worker 1'], instances['worker 2']].map((slots) =>
      runWorker(shared, slots, () => syncing),
    );
    await runSync(shared, instances.sync).finally(() => {
      syncing = false;
    });
    await Promise.all(working);
    report(`The sync (${PRODUCTS} products) and two workers of ${WORKER_LANES} lanes each`, shared.pim, instances);
  } finally {
    for (const pim of pims) await pim.close();
    raw.destroy();
    rmSync(exports, { recursive: true, force: true });
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
