import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalFileCredentialsRegistry } from '../../functions/adapters/credentials-registry';
import { pimHostKey } from '../../functions/contract/names';
import { TestBrowser } from '../support/browser';
import {
  deliver,
  type EventPlatformFixture,
  notification,
  productEvent,
  sign,
  subscribedPim,
} from '../support/event-deliveries';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { connect, startTestApp, type TestApp } from '../support/test-app';

/** The runs the event worker wrote: `<run id>` → its manifest and files. */
function eventRuns(app: TestApp) {
  const directory = join(app.config.dataDir, 'exports', pimHostKey(app.pimHost), 'products');
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((runId) => runId.includes('-events-'))
    .map((runId) => {
      const runDirectory = join(directory, runId);
      const read = (name: string) => readFileSync(join(runDirectory, name), 'utf8');
      const lines = (name: string) =>
        read(name)
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      const files = readdirSync(runDirectory);
      return {
        runId,
        manifest: JSON.parse(read('manifest.json')) as Record<string, unknown>,
        products: files.filter((name) => name.startsWith('part-')).flatMap(lines),
        deleted: files.includes('deleted.ndjson') ? lines('deleted.ndjson') : [],
      };
    });
}

describe("the Event Platform's webhooks, over HTTP (local server, DynamoDB Local, sandbox PIM)", () => {
  let app: TestApp;
  let logs: LogCapture;
  let pim: EventPlatformFixture;

  const signed = (body: string) => ({ primary: sign(body, pim.secrets.events.primary) });
  const queued = () => app.eventsQueue.queued;

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp();
    await connect(app, new TestBrowser());
    pim = await subscribedPim(app);
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  it('queues a signed product event, and the worker writes the product read with uuid IN as a small run', async () => {
    const [uuid] = app.sandbox.touchProducts(1);
    const body = productEvent({ subscriptionId: pim.subscriptionId, uuid });
    app.sandbox.resetApiStats();

    expect(await deliver(pim.eventsUrl, body, signed(body))).toBe(200);
    await app.eventWorker.idle();

    const run = eventRuns(app).find((candidate) => candidate.products.some((product) => product.uuid === uuid));
    expect(run?.products).toHaveLength(1);
    expect(run?.manifest).toMatchObject({ kind: 'events', productCount: 1, pimHost: app.pimHost });
    // One search (uuid IN) for the batch: no read per product.
    expect(app.sandbox.apiStats.requests).toBe(1);
  });

  it('writes deleted products as deleted.ndjson', async () => {
    const [uuid] = app.sandbox.deleteProducts(1);
    const body = productEvent({ subscriptionId: pim.subscriptionId, uuid, change: 'deleted' });

    expect(await deliver(pim.eventsUrl, body, signed(body))).toBe(200);
    await app.eventWorker.idle();

    const run = eventRuns(app).find((candidate) => candidate.deleted.some((line) => line.uuid === uuid));
    expect(run?.deleted).toEqual([{ uuid }]);
    expect(run?.manifest).toMatchObject({ kind: 'events', deleted: { name: 'deleted.ndjson', productCount: 1 } });
  });

  it('refuses a missing or a wrong signature with 401, and queues nothing', async () => {
    const body = productEvent({ subscriptionId: pim.subscriptionId, uuid: '0b6d3e39-4d43-4bb2-9bde-7cb4b9b1b7a0' });
    const before = queued();

    expect(await deliver(pim.eventsUrl, body)).toBe(401);
    expect(await deliver(pim.eventsUrl, body, { primary: sign(body, 'not-the-secret') })).toBe(401);
    expect(await deliver(pim.eventsUrl, body, { primary: 'zz' })).toBe(401);
    expect(await deliver(pim.eventsUrl, `${body} `, signed(body))).toBe(401);

    expect(queued()).toBe(before);
    const refusals = logs.lines().filter((line) => line.message === 'Event Platform delivery refused');
    expect(refusals.map((line) => line.reason)).toEqual(expect.arrayContaining(['unsigned', 'bad_signature']));
    expect(logs.text()).not.toContain(pim.secrets.events.primary);
    expect(logs.text()).not.toContain(sign(body, pim.secrets.events.primary));
  });

  it('accepts a delivery signed with either header, for a secret on either side of a rotation', async () => {
    const body = productEvent({ subscriptionId: pim.subscriptionId, uuid: app.sandbox.touchProducts(1)[0] });

    expect(
      await deliver(pim.eventsUrl, body, {
        primary: sign(body, 'a-secret-the-app-does-not-hold-yet'),
        secondary: sign(body, pim.secrets.events.primary),
      }),
    ).toBe(200);
  });

  it('answers a replayed event 200 and queues it once; an event older than a day 200 and not at all', async () => {
    const uuid = app.sandbox.touchProducts(1)[0];
    const body = productEvent({ subscriptionId: pim.subscriptionId, uuid, id: 'replayed-event-1' });
    const before = queued();

    expect(await deliver(pim.eventsUrl, body, signed(body))).toBe(200);
    expect(await deliver(pim.eventsUrl, body, signed(body))).toBe(200);
    const old = productEvent({
      subscriptionId: pim.subscriptionId,
      uuid,
      time: new Date(Date.now() - 25 * 60 * 60_000),
    });
    expect(await deliver(pim.eventsUrl, old, signed(old))).toBe(200);

    expect(queued()).toBe(before + 1);
  });

  it('refuses an unknown subscription, an unknown PIM and a malformed body with 401 (never 404)', async () => {
    const uuid = '0b6d3e39-4d43-4bb2-9bde-7cb4b9b1b7a0';
    const other = productEvent({ subscriptionId: 'another-subscription', uuid });
    const malformed = 'not json';
    const before = queued();

    expect(await deliver(pim.eventsUrl, other, signed(other))).toBe(401);
    const known = productEvent({ subscriptionId: pim.subscriptionId, uuid });
    expect(await deliver(`${app.url}/events/unknown-pim.example.com`, known, signed(known))).toBe(401);
    expect(await deliver(`${app.url}/events/not%20a%20host`, known, signed(known))).toBe(401);
    expect(await deliver(pim.eventsUrl, malformed, signed(malformed))).toBe(401);

    expect(queued()).toBe(before);
    const reasons = logs.lines().map((line) => line.reason);
    expect(reasons).toEqual(expect.arrayContaining(['unknown_subscription', 'unknown_pim', 'malformed']));
  });

  it('refuses a body over 2 MB with 413, without verifying it', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024 + 1, 'a');

    expect(await deliver(pim.eventsUrl, body, { primary: sign(body, pim.secrets.events.primary) })).toBe(413);
    expect(await deliver(pim.notificationsUrl, body, { primary: sign(body, pim.secrets.notifications) })).toBe(413);
  });

  it('answers 500 concurrent deliveries 200, queues each event once, and loses none', async () => {
    const uuids = app.sandbox.touchProducts(50);
    const bodies = Array.from({ length: 400 }, (_, index) =>
      productEvent({ subscriptionId: pim.subscriptionId, uuid: uuids[index % uuids.length], id: `burst-${index}` }),
    );
    // 100 of them delivered twice, as an at-least-once platform does.
    const deliveries = [...bodies, ...bodies.slice(0, 100)];
    const before = queued();

    const statuses = await Promise.all(deliveries.map((body) => deliver(pim.eventsUrl, body, signed(body))));

    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(queued()).toBe(before + 400);
    await app.eventWorker.idle();
    const exported = new Set(eventRuns(app).flatMap((run) => run.products.map((product) => product.uuid)));
    for (const uuid of uuids) expect(exported).toContain(uuid);
  });
});

describe("the Event Platform's notifications: suspension, resumption and offboarding", () => {
  let app: TestApp;
  let logs: LogCapture;
  let pim: EventPlatformFixture;

  const post = (body: string, secret = pim.secrets.notifications) =>
    deliver(pim.notificationsUrl, body, { primary: sign(body, secret) });

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp();
    await connect(app, new TestBrowser());
    pim = await subscribedPim(app);
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  it('refuses a notification signed with the events secret, or for another subscription, with 401', async () => {
    expect(await post(notification(pim.subscriptionId, 'subscription.revoked'), pim.secrets.events.primary)).toBe(401);
    expect(await post(notification('another-subscription', 'subscription.revoked'))).toBe(401);

    expect((await app.connections.get(app.pimHost))?.status).toBe('active');
  });

  it('marks the subscription suspended with the reason, then active again on subscription.resumed', async () => {
    expect(
      await post(notification(pim.subscriptionId, 'subscription.suspended.system', { reason: 'Too many failures' })),
    ).toBe(200);
    expect((await app.connections.get(app.pimHost))?.eventPlatform).toMatchObject({
      state: 'suspended',
      reason: 'Too many failures',
    });
    expect(logs.lines().some((line) => line.message === 'Event Platform subscription suspended')).toBe(true);

    expect(await post(notification(pim.subscriptionId, 'subscription.resumed'))).toBe(200);

    const connection = await app.connections.get(app.pimHost);
    expect(connection?.eventPlatform?.state).toBe('active');
    expect(connection?.eventPlatform?.reason).toBeUndefined();
    expect(connection?.status).toBe('active');
  });

  it('offboards the PIM on subscription.revoked: revoked, token gone, audit fields and credentials kept, one audit line', async () => {
    const before = await app.connections.get(app.pimHost);
    expect(before?.encryptedToken).toBeDefined();

    expect(await post(notification(pim.subscriptionId, 'subscription.revoked'))).toBe(200);
    expect(await post(notification(pim.subscriptionId, 'subscription.revoked'))).toBe(200);

    const after = await app.connections.get(app.pimHost);
    expect(after).toMatchObject({
      status: 'revoked',
      statusReason: 'removed from the PIM',
      eventPlatform: { state: 'revoked', subscriptionId: pim.subscriptionId },
      connectedBy: before?.connectedBy,
      firstConnectedAt: before?.firstConnectedAt,
      connectedAt: before?.connectedAt,
    });
    expect(after).not.toHaveProperty('encryptedToken');
    expect(new LocalFileCredentialsRegistry(app.config.dataDir).list().map((entry) => entry.pimHost)).toContain(
      app.pimHost,
    );
    const audits = logs.lines().filter((line) => line.message === 'PIM offboarded');
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      pimHost: app.pimHost,
      reason: 'removed from the PIM',
      subscriptionId: pim.subscriptionId,
    });
  });

  it('drops product events for the offboarded PIM with 200', async () => {
    const body = productEvent({ subscriptionId: pim.subscriptionId, uuid: app.sandbox.touchProducts(1)[0] });
    const before = app.eventsQueue.queued;

    expect(await deliver(pim.eventsUrl, body, { primary: sign(body, pim.secrets.events.primary) })).toBe(200);

    expect(app.eventsQueue.queued).toBe(before);
  });
});
