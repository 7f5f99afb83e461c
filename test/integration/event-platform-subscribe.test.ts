import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalFileEventPlatformSecretStore } from '../../functions/adapters/event-platform-secrets';
import { eventsWebhookUrl, notificationsWebhookUrl } from '../../functions/contract/event-platform';
import { SERVICE_NAME } from '../../functions/contract/names';
import { runLocalSync } from '../../local/sync-runner';
import { management, PRODUCT_EVENTS } from '../sandbox/event-platform-helpers';
import { TestBrowser } from '../support/browser';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { expectNoSecrets } from '../support/secrets';
import { connect, startTestApp, type TestApp, type TestAppOptions } from '../support/test-app';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

interface StoredSecrets {
  events: { primary: string; secondary?: string };
  notifications: string;
}

function storedSecrets(app: TestApp): StoredSecrets {
  const file = join(app.config.dataDir, 'event-platform-secrets', `${app.pimHost.replace(':', '_')}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
}

/** The app's subscribers as the management API lists them, asked with the app's own live token. */
async function subscribersOf(app: TestApp): Promise<Array<Record<string, unknown>>> {
  const token = app.sandbox.connectedApp(app.clientId)?.accessToken;
  if (!token) throw new Error('The app is not connected to the sandbox');
  const caller = { pimUrl: app.sandbox.url, token, clientId: app.clientId };
  const answer = await management(app.sandbox, caller, 'GET', '/subscribers');
  expect(answer.status).toBe(200);
  return answer.body as Array<Record<string, unknown>>;
}

function liveUpdatesOn(page: string): string | undefined {
  return /<dt>Live product updates<\/dt><dd class="live-updates">([^<]*)<\/dd>/.exec(page)?.[1];
}

/** As in the PIM: the app is connected first, then a user ticks the Event Platform permission of its connection. */
async function connectThenTick(app: TestApp): Promise<void> {
  await connect(app, new TestBrowser());
  app.sandbox.setEventPlatformPermission(app.clientId, true);
}

async function startApp(options: TestAppOptions = {}, { permission = true } = {}): Promise<TestApp> {
  const app = await startTestApp(options);
  if (permission) await connectThenTick(app);
  return app;
}

describe('subscribing a PIM to the Event Platform at connect, the permission ticked', () => {
  let app: TestApp;
  let logs: LogCapture;
  const seen: string[] = [];

  beforeAll(async () => {
    logs = captureLogs();
    app = await startApp();
  });

  afterAll(async () => {
    await app.close();
    logs.stop();
  });

  it('creates, at Open app once the permission is ticked, one subscriber with the notification webhook and one subscription to product events, without our own writes', async () => {
    const result = await connect(app, new TestBrowser());
    seen.push(result.code, result.state);

    expect(result.page.status).toBe(200);
    expect(liveUpdatesOn(result.page.body)).toBe('on');
    const subscribers = await subscribersOf(app);
    expect(subscribers).toHaveLength(1);
    expect(subscribers[0]).toMatchObject({
      name: SERVICE_NAME,
      status: 'active',
      contact: {
        technical_email: 'julia@example.com',
        notification_channels: ['webhook'],
        notification_webhook_url: notificationsWebhookUrl(app.url, app.pimHost),
      },
    });
    const subscriptions = app.sandbox.eventSubscriptions(app.clientId);
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]).toMatchObject({
      subscriberId: subscribers[0]?.id,
      status: 'active',
      url: eventsWebhookUrl(app.url, app.pimHost),
      filter: `not user="${app.clientId}"`,
    });
    expect([...(subscriptions[0]?.events ?? [])].sort()).toEqual([...PRODUCT_EVENTS].sort());
    const connection = await app.connections.get(app.pimHost);
    expect(connection?.eventPlatform).toMatchObject({
      state: 'active',
      subscriberId: subscribers[0]?.id,
      subscriptionId: subscriptions[0]?.id,
    });
  });

  it('reuses them when the PIM user clicks Open app again: no second subscriber or subscription', async () => {
    const before = await app.connections.get(app.pimHost);

    const result = await connect(app, new TestBrowser());
    seen.push(result.code, result.state);

    expect(liveUpdatesOn(result.page.body)).toBe('on');
    expect(await subscribersOf(app)).toHaveLength(1);
    expect(app.sandbox.eventSubscriptions(app.clientId)).toHaveLength(1);
    const after = await app.connections.get(app.pimHost);
    expect(after?.eventPlatform?.subscriberId).toBe(before?.eventPlatform?.subscriberId);
    expect(after?.eventPlatform?.subscriptionId).toBe(before?.eventPlatform?.subscriptionId);
    const steps = logs.lines().filter((line) => line.message === 'Event Platform step done');
    expect(steps.at(-1)).toMatchObject({ changes: [], state: 'active', stored: true });
  });

  it('makes a new subscriber after the app was removed from the PIM and connected again', async () => {
    const before = await app.connections.get(app.pimHost);
    app.sandbox.disconnect(app.clientId);
    await connectThenTick(app);

    const result = await connect(app, new TestBrowser());
    seen.push(result.code, result.state);

    expect(liveUpdatesOn(result.page.body)).toBe('on');
    const subscribers = await subscribersOf(app);
    const active = subscribers.filter((subscriber) => subscriber.status === 'active');
    expect(active).toHaveLength(1);
    expect(active[0]?.id).not.toBe(before?.eventPlatform?.subscriberId);
    const after = await app.connections.get(app.pimHost);
    expect(after?.eventPlatform).toMatchObject({ state: 'active', subscriberId: active[0]?.id });
  });

  it('never shows or logs the PIM’s signing secrets or the token it calls the platform with', async () => {
    const secrets = storedSecrets(app);
    const token = app.sandbox.connectedApp(app.clientId)?.accessToken;
    const result = await connect(app, new TestBrowser());

    expectNoSecrets(`${result.page.body}\n${logs.text()}`, [
      secrets.events.primary,
      secrets.notifications,
      token,
      ...seen,
    ]);
  });
});

describe('a PIM where the Event Platform is not available', () => {
  let logs: LogCapture;
  beforeAll(() => {
    logs = captureLogs();
  });
  afterAll(() => logs.stop());

  it('connects and syncs as before when the permission is not ticked, and says why on the page', async () => {
    const app = await startApp({}, { permission: false });
    try {
      const result = await connect(app, new TestBrowser());

      expect(result.page.status).toBe(200);
      expect(liveUpdatesOn(result.page.body)).toMatch(/^not available \(The Event Platform permission is not ticked/);
      const connection = await app.connections.get(app.pimHost);
      expect(connection).toMatchObject({ status: 'active', eventPlatform: { state: 'unavailable' } });
      expect(app.sandbox.eventSubscriptions(app.clientId)).toEqual([]);
      await runLocalSync({ config: app.config, pimHost: app.pimHost });
      expect((await app.connections.get(app.pimHost))?.syncCursor).toBeDefined();
    } finally {
      await app.close();
    }
  });

  it('connects when the PIM has no Event Platform (404), and says so', async () => {
    const app = await startApp({ sandboxEventPlatform: false }, { permission: false });
    try {
      const result = await connect(app, new TestBrowser());

      expect(result.page.status).toBe(200);
      expect(liveUpdatesOn(result.page.body)).toMatch(/^not available \(This PIM has no Event Platform \(HTTP 404\)/);
      expect(await app.connections.get(app.pimHost)).toMatchObject({
        status: 'active',
        eventPlatform: { state: 'unavailable' },
      });
    } finally {
      await app.close();
    }
  });

  describe('a platform that never answers', () => {
    let platform: WebhookReceiver;
    beforeAll(async () => {
      platform = await startWebhookReceiver();
    });
    afterAll(() => platform.close());

    it('still lets the callback answer, past the step’s time limit, and says so', async () => {
      platform.answer('hang', 'hang', 'hang');
      const app = await startApp(
        { env: { EVENT_PLATFORM_URL: platform.url('/api/v1'), EVENT_PLATFORM_TIMEOUT_MS: '300' } },
        { permission: false },
      );
      try {
        const result = await connect(app, new TestBrowser());

        expect(platform.requests.length).toBeGreaterThan(0);
        expect(result.page.status).toBe(200);
        expect(liveUpdatesOn(result.page.body)).toMatch(
          /^not available \(The Event Platform did not answer within 300 ms/,
        );
        expect(await app.connections.get(app.pimHost)).toMatchObject({ status: 'active' });
      } finally {
        await app.close();
      }
    });
  });
});

describe('rotating a PIM’s events secret without a redeploy', () => {
  let receiver: WebhookReceiver;
  let app: TestApp;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    app = await startApp({ env: { APP_PUBLIC_URL: receiver.url('') } });
  });

  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  const sign = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('hex');

  /** A product saved in the PIM, as the app's events endpoint receives it. */
  async function nextDelivery() {
    const eventsPath = new URL(eventsWebhookUrl(receiver.url(''), app.pimHost)).pathname;
    const before = receiver.requestsTo(eventsPath).length;
    app.sandbox.touchProducts(1);
    await app.sandbox.eventPlatformSettled();
    const deliveries = receiver.requestsTo(eventsPath);
    expect(deliveries.length).toBe(before + 1);
    const delivery = deliveries[before] as (typeof deliveries)[number];
    return {
      primary: delivery.headers['x-akeneo-signature-primary'],
      secondary: delivery.headers['x-akeneo-signature-secondary'],
      body: delivery.rawBody,
    };
  }

  it('signs with both secrets once a new one is staged as secondary, then with the new one alone once promoted', async () => {
    await connect(app, new TestBrowser());
    const store = new LocalFileEventPlatformSecretStore(app.config.dataDir);
    const original = storedSecrets(app);
    const first = await nextDelivery();
    expect(first.primary).toBe(sign(original.events.primary, first.body));
    expect(first.secondary).toBeUndefined();

    // Stage: the next secret beside the current one, then Open app brings the subscription up to date.
    const next = 'next-events-secret-0123456789abcdef';
    await store.put(app.pimHost, { ...original, events: { primary: original.events.primary, secondary: next } });
    await connect(app, new TestBrowser());
    const during = await nextDelivery();
    expect(during.primary).toBe(sign(original.events.primary, during.body));
    expect(during.secondary).toBe(sign(next, during.body));

    // Promote: the new secret alone.
    await store.put(app.pimHost, { ...original, events: { primary: next } });
    await connect(app, new TestBrowser());
    const after = await nextDelivery();
    expect(after.primary).toBe(sign(next, after.body));
    expect(after.secondary).toBeUndefined();
    expect(app.sandbox.eventSubscriptions(app.clientId)).toHaveLength(1);
  });
});
