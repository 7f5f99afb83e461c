import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pimHostKey } from '../../functions/contract/names';
import { TestBrowser } from '../support/browser';
import { type EventPlatformFixture, subscribedInSandbox } from '../support/event-deliveries';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { connect, startTestApp, type TestApp } from '../support/test-app';

/** The uuids in every part of every events run written so far. */
function exportedByEvents(app: TestApp): Set<string> {
  const directory = join(app.config.dataDir, 'exports', pimHostKey(app.pimHost), 'products');
  const uuids = new Set<string>();
  if (!existsSync(directory)) return uuids;
  for (const runId of readdirSync(directory).filter((name) => name.includes('-events-'))) {
    for (const part of readdirSync(join(directory, runId)).filter((name) => name.startsWith('part-'))) {
      for (const line of readFileSync(join(directory, runId, part), 'utf8')
        .split('\n')
        .filter(Boolean)) {
        uuids.add((JSON.parse(line) as { uuid: string }).uuid);
      }
    }
  }
  return uuids;
}

/**
 * The sandbox PIM plays Akeneo's Event Platform end to end: it signs and delivers its own product events and its
 * `subscription.revoked` to the local app over HTTP. The subscriber and subscription are created here through the
 * sandbox's management API, as subscribing at connect does.
 */
describe('the sandbox Event Platform delivering to the local app', () => {
  let app: TestApp;
  let logs: LogCapture;
  let pim: EventPlatformFixture;

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp();
    await connect(app, new TestBrowser());
    pim = await subscribedInSandbox(app);
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  it('puts a product saved in the PIM in the export without a sync run', async () => {
    const uuids = app.sandbox.touchProducts(3);

    await app.sandbox.eventPlatformSettled();
    await app.eventWorker.idle();

    const exported = exportedByEvents(app);
    for (const uuid of uuids) expect(exported).toContain(uuid);
    expect(logs.lines().filter((line) => line.message === 'Event Platform delivery refused')).toEqual([]);
  });

  it('offboards the PIM within its notification when the app is removed from it: revoked, token gone', async () => {
    app.sandbox.disconnect(app.clientId);

    await app.sandbox.eventPlatformSettled();

    const connection = await app.connections.get(app.pimHost);
    expect(connection).toMatchObject({
      status: 'revoked',
      statusReason: 'removed from the PIM',
      eventPlatform: { state: 'revoked', subscriptionId: pim.subscriptionId },
    });
    expect(connection).not.toHaveProperty('encryptedToken');
    expect(logs.lines().filter((line) => line.message === 'PIM offboarded')).toHaveLength(1);
  });
});
