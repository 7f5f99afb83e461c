import { DynamoDbSyncStateStore } from '../../functions/adapters/connection-store';
import { InMemorySyncQueue } from '../../functions/adapters/sync-queue';
import type { Config } from '../../functions/config';
import { scopeSetHash } from '../../functions/core/scopes-notice';
import { notifyMissingScopes } from '../../functions/use-cases/notify-missing-scopes';
import { pimAccessOver } from '../../functions/wiring/pim-access';
import { createSyncWorkerAdapters } from '../../functions/wiring/sync-worker';
import { runLocalSync } from '../../local/sync-runner';
import { TestBrowser } from '../support/browser';
import { testDocumentClient } from '../support/dynamodb';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { connect, startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue 17, item 4: a new version of the app requests scopes a connection was not granted. The worker tells the PIM
 * (`POST /connect/apps/v1/scopes/update`, over HTTP to the sandbox PIM, which records each call) once per distinct
 * missing set, however many syncs run.
 */
describe('scopes the PIM did not grant', () => {
  let app: TestApp;
  let logs: LogCapture;
  let store: DynamoDbSyncStateStore;
  const withScopes = (...more: string[]): Config => ({ ...app.config, scopes: [...app.config.scopes, ...more] });
  const syncs = async (config: Config, times: number) => {
    for (let run = 0; run < times; run += 1) await runLocalSync({ config, pimHost: app.pimHost });
  };
  const calls = () => app.sandbox.scopesUpdateRequests(app.clientId);

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp({ sandboxProducts: 3 });
    store = new DynamoDbSyncStateStore({
      client: testDocumentClient(),
      tableName: app.config.connectionsTableName ?? '',
    });
    expect((await connect(app, new TestBrowser())).page.status).toBe(200);
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  it('tells the PIM nothing while every requested scope is granted', async () => {
    await syncs(app.config, 2);

    expect(calls()).toEqual([]);
  });

  it('sends one scopes/update with the full list however many syncs run, and the PIM flags the app', async () => {
    const config = withScopes('write_products');

    await syncs(config, 3);

    expect(calls()).toEqual([expect.objectContaining({ scopes: [...config.scopes].sort(), flagged: true })]);
    expect(app.sandbox.outdatedScopes(app.clientId)).toEqual(['write_products']);
    const page = await new TestBrowser().get(`${app.sandbox.url}/connect/connected-apps`);
    expect(page.body).toContain('This app asks for new permissions: write_products');
    const connection = await store.get(app.pimHost);
    expect(connection?.scopesNotice).toMatchObject({
      missing: ['write_products'],
      setHash: scopeSetHash(['write_products']),
    });
    expect(connection?.status).toBe('active');
    expect(logs.lines().filter((line) => line.message === 'Missing scopes notified to the PIM')).toHaveLength(1);
  });

  it('sends a second one only when the missing set changes', async () => {
    await syncs(withScopes('write_products', 'write_categories'), 2);
    await syncs(withScopes('write_categories', 'write_products'), 2);

    expect(calls()).toHaveLength(2);
    expect(calls()[1]?.scopes).toEqual(expect.arrayContaining(['write_categories', 'write_products', 'read_products']));
  });

  it('sends one when two runs find the same new set at once', async () => {
    const config = withScopes('write_attribute_options');
    const adapters = createSyncWorkerAdapters(config, { queue: new InMemorySyncQueue() });
    const notify = notifyMissingScopes({
      pims: pimAccessOver(config, adapters, {}),
      store: adapters.store,
      requestedScopes: config.scopes,
      now: () => new Date(),
    });

    const outcomes = await Promise.all([notify(app.pimHost), notify(app.pimHost), notify(app.pimHost)]);

    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['already_sent', 'already_sent', 'sent']);
    expect(calls()).toHaveLength(3);
  });

  it('forgets a notice that could not be sent, so the next occasion sends it', async () => {
    const notice = {
      setHash: scopeSetHash(['delete_products']),
      missing: ['delete_products'],
      at: new Date().toISOString(),
    };

    expect(await store.claimScopesNotice(app.pimHost, notice)).toBe(true);
    expect(await store.claimScopesNotice(app.pimHost, notice)).toBe(false);
    await store.releaseScopesNotice(app.pimHost, notice.setHash);
    expect(await store.claimScopesNotice(app.pimHost, notice)).toBe(true);
  });
});
