import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import Ajv from 'ajv';
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue';
import type { RetryPolicy } from '../../functions/core/backoff';
import { makeSyncDispatchHandler } from '../../functions/sync-dispatch';
import { createSyncDispatchDeps } from '../../functions/wiring/sync-dispatch';
import { runLocalSync } from '../../local/sync-runner';
import { STATUS_TABLE_WIDTH } from '../../ops/commands/status';
import { TestBrowser } from '../support/browser';
import { testDocumentClient, uniqueTableNames } from '../support/dynamodb';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { runPim } from '../support/pim-cli';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const FAST_RETRY: RetryPolicy = { baseDelayMs: 5, maxDelayMs: 20, maxRateLimitRetries: 2, maxServerErrorRetries: 2 };
const SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', '..', 'ops', 'status.schema.json'), 'utf8'));

/**
 * Issue 17, item 1: three sandbox PIMs on one Connections table (one healthy, one failing with 500s, one
 * disconnected), each connected and synced for real, then `npm run pim -- status` on that local run.
 */
describe('npm run pim -- status: every PIM’s health', () => {
  const tables = uniqueTableNames();
  let logs: LogCapture;
  let healthy: TestApp;
  let failing: TestApp;
  let disconnected: TestApp;
  let env: Record<string, string>;
  const sync = (app: TestApp) => runLocalSync({ config: app.config, pimHost: app.pimHost, retry: FAST_RETRY });
  const validate = new Ajv({ allErrors: true, strict: true }).compile(SCHEMA);

  beforeAll(async () => {
    logs = captureLogs();
    const shared = {
      CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
      STATES_TABLE_NAME: tables.statesTableName,
      CALL_SLOTS_TABLE_NAME: tables.callSlotsTableName,
    };
    healthy = await startTestApp({ env: shared, sandboxProducts: 12 });
    failing = await startTestApp({ env: shared, sandboxProducts: 5 });
    disconnected = await startTestApp({ env: shared, sandboxProducts: 5 });
    for (const app of [healthy, failing, disconnected]) {
      expect((await connect(app, new TestBrowser())).page.status).toBe(200);
      await sync(app);
    }
    failing.sandbox.injectApiFaults(Array.from({ length: 20 }, () => ({ kind: 'server-error' as const })));
    await expect(sync(failing)).rejects.toThrow(/kept failing/);
    await expect(sync(failing)).rejects.toThrow(/kept failing/);
    disconnected.sandbox.disconnect(disconnected.clientId);
    expect((await sync(disconnected)).outcomes[0]?.outcome.kind).toBe('revoked');
    env = {
      DATA_DIR: healthy.config.dataDir,
      DYNAMODB_ENDPOINT: healthy.config.dynamodbEndpoint ?? '',
      ...shared,
    };
  });

  afterAll(async () => {
    await Promise.all([healthy, failing, disconnected].map((app) => app?.close()));
    logs.stop();
  });

  it('shows each one’s health in a table that fits 100 columns', async () => {
    const run = await runPim(['status'], { env });

    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PIM\s+STATUS\s+HEALTH\s+LAST SYNC\s+PRODUCTS\s+LAG\s+FAILS\s+SCOPES$/);
    const row = (app: TestApp) => lines.find((line) => line.startsWith(app.pimHost)) ?? '';
    expect(row(healthy)).toMatch(/\sactive\s+ok\s+\d+s ago\s+12\s+\d+s\s+0\s+9$/);
    expect(row(failing)).toMatch(/\sactive\s+failing\s+\d+s ago\s+5\s+\d+s\s+2\s+9$/);
    expect(row(disconnected)).toMatch(/\srevoked\s+-\s+\d+s ago\s+5\s+\d+s\s+0\s+9$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(STATUS_TABLE_WIDTH);
  });

  it('gives everything as JSON that validates against ops/status.schema.json', async () => {
    const run = await runPim(['status', '--json'], { env });

    const views = JSON.parse(run.stdout);
    expect(validate(views) ? [] : validate.errors).toEqual([]);
    const byHost = new Map(views.map((view: { pimHost: string }) => [view.pimHost, view]));
    expect(byHost.get(failing.pimHost)).toMatchObject({
      status: 'active',
      health: {
        consecutiveFailures: 2,
        lastFailure: { code: 'pim_unavailable' },
        stale: false,
        // Its sandbox does not let the app subscribe (the Event Platform permission not ticked): named, not counted.
        problems: [
          expect.objectContaining({ code: 'failing' }),
          expect.objectContaining({ code: 'event_platform_unavailable' }),
        ],
      },
    });
    expect(byHost.get(disconnected.pimHost)).toMatchObject({
      status: 'revoked',
      health: { problems: [expect.objectContaining({ code: 'revoked' })] },
    });
    expect(byHost.get(healthy.pimHost)).toMatchObject({
      health: {
        consecutiveFailures: 0,
        continuationPending: false,
        // Informational only: the table above still says ok.
        problems: [expect.objectContaining({ code: 'event_platform_unavailable' })],
        lastSuccess: { products: 12 },
      },
    });
    expect(run.stdout).not.toMatch(/encryptedToken|lastStateHash/);
  });

  it('shows one PIM in full, its problem in words with what to do', async () => {
    const run = await runPim(['status', failing.sandbox.url], { env });
    const json = await runPim(['status', failing.sandbox.url, '--json'], { env });

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Failures in a row: +2$/m);
    expect(run.stdout).toMatch(/^Last failure: +\S+ pim_unavailable: The PIM kept failing \(500\)/m);
    expect(run.stdout).toContain('Next: Nothing is lost: the cursor did not move.');
    expect(validate(JSON.parse(json.stdout)) ? [] : validate.errors).toEqual([]);
    const unknown = await runPim(['status', 'http://localhost:1'], { env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No connection for localhost:1');
  });

  it('flags a PIM without a success in 3 schedule slots as stale', async () => {
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: tables.connectionsTableName,
        Key: { pimHost: healthy.pimHost },
        UpdateExpression: 'SET lastSyncAt = :long_ago',
        ExpressionAttributeValues: { ':long_ago': new Date(Date.now() - 46 * 60_000).toISOString() },
      }),
    );

    const run = await runPim(['status'], { env });

    expect(run.stdout.split('\n').find((line) => line.startsWith(healthy.pimHost))).toMatch(
      /\sactive\s+stale\s+46m ago/,
    );
  });

  it('is counted by the dispatch, which emits the StaleConnections metric', async () => {
    const queue = new InMemorySyncQueue();

    const summary = await makeSyncDispatchHandler(createSyncDispatchDeps(healthy.config, { queue }))({
      time: new Date().toISOString(),
    });

    expect(summary).toMatchObject({ connections: 2, stale: 1 });
    const emf = logs.lines().filter((line) => line.StaleConnections !== undefined);
    expect(emf.map((line) => line.StaleConnections)).toEqual([1]);
  });

  it('keeps a long host name and many scopes within 100 columns, and shows them whole with --wide', async () => {
    const longHost = `${'a-very-long-customer-name-'.repeat(4)}pim.cloud.akeneo.com`;
    const scopes = Array.from({ length: 30 }, (_, index) => `read_scope_number_${index}`);
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: tables.connectionsTableName,
        Key: { pimHost: longHost },
        UpdateExpression:
          'SET pimUrl = :url, #status = :active, scopes = :scopes, connectedAt = :at, encryptedToken = :sealed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':url': `https://${longHost}`,
          ':active': 'active',
          ':scopes': scopes,
          ':at': new Date().toISOString(),
          ':sealed': 'sealed',
        },
      }),
    );

    const narrow = await runPim(['status'], { env });
    const wide = await runPim(['status', '--wide'], { env });

    for (const line of narrow.stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(STATUS_TABLE_WIDTH);
    expect(narrow.stdout).toContain('…');
    expect(narrow.stdout).toMatch(/30 \(9 missing\)$/m);
    expect(wide.stdout).toContain(`https://${longHost}`);
    expect(wide.stdout).toContain(scopes.join(' '));
  });
});
