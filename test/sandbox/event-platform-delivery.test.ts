import { randomUUID } from 'node:crypto';
import type { SandboxApp, SandboxOptions, SandboxPim } from '../../sandbox';
import { type ReceivedRequest, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import {
  createSubscriber,
  createSubscription,
  type EventPlatformCaller,
  hmacHex,
  management,
  NOTIFICATION_SECRET,
  PRIMARY_SECRET,
  PRODUCT_CREATED,
  PRODUCT_DELETED,
  PRODUCT_UPDATED,
  RFC3339_SECONDS,
  SECONDARY_SECRET,
  startConnectedSandbox,
  submitPermissionForm,
  subscriberInput,
  subscriptionInput,
  UUID,
  webhookContact,
} from './event-platform-helpers';
import { collectionLines, http, patchProductCollection, postForm } from './sandbox-helpers';

/** 5, 10 and 20 minutes become 60, 120 and 240 ms. */
const RETRY_SCALE = 0.0002;
const SCALED_RETRIES_MS = [60, 120, 240];

interface CloudEvent {
  specversion: string;
  id: string;
  source: string;
  type: string;
  subject: string;
  datacontenttype: string;
  dataschema: string;
  time: string;
  data: { product: { uuid: string; identifier?: string }; author: { identifier: string; type: string } };
}

const eventOf = (request: ReceivedRequest) => request.json() as unknown as CloudEvent;

describe('sandbox Event Platform: product event delivery', () => {
  let pim: SandboxPim;
  let app: SandboxApp;
  let caller: EventPlatformCaller;
  let receiver: WebhookReceiver;
  let subscriberId: string;

  async function start(options: SandboxOptions['eventPlatform'] = {}): Promise<void> {
    ({ pim, app, caller } = await startConnectedSandbox({ productCount: 30, eventPlatform: options }));
    subscriberId = await createSubscriber(pim, caller, subscriberInput({}, webhookContact(receiver.url('/notify'))));
  }

  function subscribe(overrides: Record<string, unknown> = {}, path = '/events'): Promise<string> {
    return createSubscription(pim, caller, subscriberId, subscriptionInput(pim, receiver.url(path), overrides));
  }

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });

  afterEach(async () => {
    await pim?.close();
    await receiver.close();
  });

  it('delivers a product change as a CloudEvent signed over its raw body with both secrets', async () => {
    await start({ retryScale: RETRY_SCALE });
    const subscriptionId = await subscribe({
      config: {
        url: receiver.url('/events'),
        secret: { primary: PRIMARY_SECRET, secondary: SECONDARY_SECRET },
        headers: { 'X-Api-Key': 'key-value' },
      },
    });

    const before = Math.floor(Date.now() / 1000) * 1000;
    const [touched] = pim.touchProducts(1);
    await pim.eventPlatformSettled();
    const after = Date.now();

    expect(receiver.requests).toHaveLength(1);
    const [delivered] = receiver.requests as [ReceivedRequest];
    expect(delivered.method).toBe('POST');
    expect(delivered.headers['content-type']).toBe('application/json');
    expect(delivered.headers['x-akeneo-signature-algorithm']).toBe('HmacSHA256');
    expect(delivered.headers['x-akeneo-signature-primary']).toBe(hmacHex(PRIMARY_SECRET, delivered.rawBody));
    expect(delivered.headers['x-akeneo-signature-secondary']).toBe(hmacHex(SECONDARY_SECRET, delivered.rawBody));
    expect(delivered.headers['x-akeneo-signature-primary']).not.toBe(hmacHex(SECONDARY_SECRET, delivered.rawBody));
    expect(delivered.headers['x-api-key']).toBe('key-value');
    expect(eventOf(delivered)).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(UUID),
      source: 'akeneo-event-platform',
      type: PRODUCT_UPDATED,
      subject: subscriptionId,
      datacontenttype: 'application/json',
      dataschema: `https://event.prd.sdk.akeneo.cloud/spec/${PRODUCT_UPDATED}.schema.json`,
      time: expect.stringMatching(RFC3339_SECONDS),
      data: { product: { uuid: touched }, author: { identifier: pim.userUuid, type: 'user' } },
    });
    expect(Date.parse(eventOf(delivered).time)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(eventOf(delivered).time)).toBeLessThanOrEqual(after);
    expect(pim.eventDeliveries).toEqual([
      {
        eventId: eventOf(delivered).id,
        type: PRODUCT_UPDATED,
        subscriptionId,
        productUuid: touched,
        attempt: 1,
        result: 200,
        outcome: 'delivered',
      },
    ]);
  });

  it('signs with the primary secret only when there is no secondary', async () => {
    await start();
    await subscribe();
    pim.addProducts(1);
    await pim.eventPlatformSettled();
    const [delivered] = receiver.requests as [ReceivedRequest];
    expect(delivered.headers['x-akeneo-signature-primary']).toBe(hmacHex(PRIMARY_SECRET, delivered.rawBody));
    expect(delivered.headers).not.toHaveProperty('x-akeneo-signature-secondary');
  });

  it("delivers created, updated and deleted events for the controls page's changes, by the PIM user", async () => {
    await start();
    await subscribe();
    await subscribe({ events: [PRODUCT_DELETED] }, '/deleted-only');
    const control = (action: string, count: number) =>
      postForm(`${pim.url}/sandbox/controls`, { action, count: String(count) });

    const page = await http(`${pim.url}/sandbox/controls`);
    expect(page.text).toContain('<strong data-testid="active-subscriptions">2</strong> active subscription(s)');
    await control('add', 2);
    await control('touch', 1);
    await control('delete', 1);
    await pim.eventPlatformSettled();

    const types = receiver.requestsTo('/events').map((request) => eventOf(request).type);
    expect(types).toEqual([PRODUCT_CREATED, PRODUCT_CREATED, PRODUCT_UPDATED, PRODUCT_DELETED]);
    expect(receiver.requestsTo('/deleted-only').map((request) => eventOf(request).type)).toEqual([PRODUCT_DELETED]);
    for (const request of receiver.requests) {
      expect(eventOf(request).data.author).toEqual({ identifier: pim.userUuid, type: 'user' });
    }
  });

  it("authors API writes with the calling app's client id; a line that changes nothing sends nothing", async () => {
    await start();
    await subscribe();
    const [existing, unchanged] = pim.touchProducts(2) as [string, string];
    await pim.eventPlatformSettled();
    const before = receiver.requests.length;
    const created = randomUUID();
    const lines = [
      { uuid: created },
      { uuid: existing, values: { name: [{ locale: 'en_US', scope: null, data: 'Renamed by the app' }] } },
      { uuid: unchanged },
    ];
    const answer = await patchProductCollection(pim, lines.map((line) => JSON.stringify(line)).join('\n'), {
      token: caller.token,
    });
    expect(collectionLines(answer.text).map((line) => line.status_code)).toEqual([201, 204, 204]);
    await pim.eventPlatformSettled();

    const events = receiver.requests.slice(before).map(eventOf);
    expect(events.map((event) => [event.type, event.data.product.uuid])).toEqual([
      [PRODUCT_CREATED, created],
      [PRODUCT_UPDATED, existing],
    ]);
    for (const event of events) expect(event.data.author).toEqual({ identifier: app.clientId, type: 'api' });
  });

  it('drops the app\'s own writes with not user="<client id>" and keeps only API changes with user_type', async () => {
    await start();
    await subscribe({ filter: `not user="${app.clientId}"` }, '/not-mine');
    await subscribe({ filter: 'user_type="api"' }, '/api-only');
    const [product] = pim.touchProducts(1) as [string];
    const line = { uuid: product, values: { name: [{ locale: 'en_US', scope: null, data: 'By the app' }] } };
    await patchProductCollection(pim, JSON.stringify(line), { token: caller.token });
    await pim.eventPlatformSettled();

    expect(receiver.requestsTo('/not-mine').map((request) => eventOf(request).data.author.type)).toEqual(['user']);
    expect(receiver.requestsTo('/api-only').map((request) => eventOf(request).data.author)).toEqual([
      { identifier: app.clientId, type: 'api' },
    ]);
  });

  it('adds the product identifier when the subscription asks for it, a deleted product included', async () => {
    await start();
    await subscribe({ send_product_identifier: true });
    pim.touchProducts(1);
    pim.deleteProducts(1);
    await pim.eventPlatformSettled();
    const products = receiver.requests.map((request) => eventOf(request).data.product);
    expect(products).toEqual([
      { uuid: expect.stringMatching(UUID), identifier: expect.stringMatching(/^[A-Z]+-\d{5}$/) },
      { uuid: expect.stringMatching(UUID), identifier: expect.stringMatching(/^[A-Z]+-\d{5}$/) },
    ]);
  });

  it('retries a failed delivery after 5, 10 and 20 minutes (scaled), the same event each time', async () => {
    await start({ retryScale: RETRY_SCALE });
    await subscribe();
    receiver.answer(500, 503, 429);
    const [touched] = pim.touchProducts(1);
    await pim.eventPlatformSettled();

    expect(
      pim.eventDeliveries.map(({ attempt, result, outcome, retryInMs }) => ({ attempt, result, outcome, retryInMs })),
    ).toEqual([
      { attempt: 1, result: 500, outcome: 'retry-scheduled', retryInMs: SCALED_RETRIES_MS[0] },
      { attempt: 2, result: 503, outcome: 'retry-scheduled', retryInMs: SCALED_RETRIES_MS[1] },
      { attempt: 3, result: 429, outcome: 'retry-scheduled', retryInMs: SCALED_RETRIES_MS[2] },
      { attempt: 4, result: 200, outcome: 'delivered', retryInMs: undefined },
    ]);
    const bodies = receiver.requests.map((request) => request.rawBody.toString('utf8'));
    expect(new Set(bodies).size).toBe(1);
    expect(eventOf(receiver.requests[0] as ReceivedRequest).data.product.uuid).toBe(touched);
    receiver.requests.slice(1).forEach((request, index) => {
      const waited = request.at - (receiver.requests[index] as ReceivedRequest).at;
      expect(waited).toBeGreaterThanOrEqual((SCALED_RETRIES_MS[index] as number) - 2);
    });
    expect(pim.eventSubscriptions(app.clientId)[0]?.status).toBe('active');
  });

  it('drops the event after the third retry', async () => {
    await start({ retryScale: RETRY_SCALE });
    await subscribe();
    receiver.answer(500, 500, 500, 500);
    pim.touchProducts(1);
    await pim.eventPlatformSettled();
    expect(receiver.requests).toHaveLength(4);
    expect(pim.eventDeliveries.map(({ outcome }) => outcome)).toEqual([
      'retry-scheduled',
      'retry-scheduled',
      'retry-scheduled',
      'dropped',
    ]);
  });

  it('retries a destination slower than the delivery timeout', async () => {
    await start({ retryScale: RETRY_SCALE, deliveryTimeoutMs: 100 });
    await subscribe();
    receiver.answer('hang');
    pim.touchProducts(1);
    await pim.eventPlatformSettled();
    expect(pim.eventDeliveries.map(({ result, outcome }) => [result, outcome])).toEqual([
      ['timeout', 'retry-scheduled'],
      [200, 'delivered'],
    ]);
  });

  it.each([
    ['404', 404],
    ['a redirect', { status: 302, headers: { location: 'https://elsewhere.example.com/' } }],
    ['a permanent redirect', { status: 308, headers: { location: 'https://elsewhere.example.com/' } }],
  ])('suspends the subscription at once on %s, tells the subscriber, and delivers no more', async (_name, first) => {
    await start({ retryScale: RETRY_SCALE });
    const subscriptionId = await subscribe();
    receiver.answer(first);
    pim.touchProducts(1);
    await pim.eventPlatformSettled();

    const status = typeof first === 'number' ? first : first.status;
    expect(pim.eventDeliveries).toEqual([
      expect.objectContaining({ result: status, outcome: 'subscription-suspended' }),
    ]);
    expect(pim.eventSubscriptions(app.clientId)).toEqual([
      expect.objectContaining({
        id: subscriptionId,
        status: 'suspended',
        statusReason: expect.stringContaining(String(status)),
      }),
    ]);
    const [notification] = receiver.requestsTo('/notify') as [ReceivedRequest];
    expect(notification.headers['x-akeneo-signature-primary']).toBe(hmacHex(NOTIFICATION_SECRET, notification.rawBody));
    expect(notification.json()).toMatchObject({
      notification_type: 'subscription.suspended.system',
      subscription_id: subscriptionId,
      subscriber_id: subscriberId,
      reason: expect.stringContaining(String(status)),
    });

    pim.touchProducts(1);
    await pim.eventPlatformSettled();
    expect(receiver.requestsTo('/events')).toHaveLength(1);
    const listed = await management(pim, caller, 'GET', `/subscribers/${subscriberId}/subscriptions/${subscriptionId}`);
    expect(listed.body).toMatchObject({ status: 'suspended' });
  });

  it('suspends a subscription whose success rate falls below 90 % over the hour', async () => {
    await start({ retryScale: RETRY_SCALE });
    const subscriptionId = await subscribe();
    // Three events make up to 12 attempts; the tenth failure suspends (the notification then gets a 200).
    receiver.answer(...Array.from({ length: 10 }, () => 500));
    pim.touchProducts(3);
    await pim.eventPlatformSettled();

    const failures = pim.eventDeliveries.filter(({ result }) => result === 500);
    expect(failures).toHaveLength(10);
    expect(failures.at(-1)?.outcome).toBe('subscription-suspended');
    expect(pim.eventSubscriptions(app.clientId)).toEqual([
      expect.objectContaining({
        id: subscriptionId,
        status: 'suspended',
        statusReason: 'Success rate dropped below 90%',
      }),
    ]);
    expect(receiver.requestsTo('/notify').map((request) => request.json())).toEqual([
      expect.objectContaining({
        notification_type: 'subscription.suspended.system',
        reason: 'Success rate dropped below 90%',
      }),
    ]);
  });

  it('delivers nothing while the permission is unticked: unticking suspends, ticking again does not resume', async () => {
    await start();
    const subscriptionId = await subscribe();
    expect((await submitPermissionForm(pim, app.clientId, false)).status).toBe(303);
    pim.touchProducts(2);
    await pim.eventPlatformSettled();

    expect(receiver.requestsTo('/events')).toHaveLength(0);
    expect(pim.eventSubscriptions(app.clientId)).toEqual([
      expect.objectContaining({ status: 'suspended', statusReason: expect.stringContaining('permission') }),
    ]);
    expect(receiver.requestsTo('/notify').map((request) => request.json())).toEqual([
      expect.objectContaining({ notification_type: 'subscription.suspended.system', subscription_id: subscriptionId }),
    ]);

    await submitPermissionForm(pim, app.clientId, true);
    pim.touchProducts(1);
    await pim.eventPlatformSettled();
    expect(receiver.requestsTo('/events')).toHaveLength(0);
    expect(pim.eventSubscriptions(app.clientId)[0]?.status).toBe('suspended');
  });

  it('delivers nothing before the activation delay has passed', async () => {
    await start({ activationDelayMs: 3_600_000 });
    await subscribe();
    pim.touchProducts(3);
    await pim.eventPlatformSettled();
    expect(receiver.requestsTo('/events')).toHaveLength(0);
    expect(pim.eventSubscriptions(app.clientId)[0]?.activeFrom).toBeGreaterThan(Date.now() + 3_500_000);
  });

  it('delivers an event twice, the copy after the next event (duplicate fault)', async () => {
    await start();
    await subscribe();
    pim.injectEventDeliveryFaults([{ kind: 'duplicate' }]);
    const [first, second] = pim.touchProducts(2) as [string, string];
    await pim.eventPlatformSettled();

    const events = receiver.requests.map(eventOf);
    expect(events.map((event) => event.data.product.uuid)).toEqual([first, second, first]);
    expect(events[2]?.id).toBe(events[0]?.id);
    expect(receiver.requests[2]?.rawBody.equals((receiver.requests[0] as ReceivedRequest).rawBody)).toBe(true);
  });

  it('delivers an event after the one that follows it (reorder fault)', async () => {
    await start();
    await subscribe();
    pim.injectEventDeliveryFaults([{ kind: 'reorder' }]);
    const [first, second, third] = pim.touchProducts(3) as [string, string, string];
    await pim.eventPlatformSettled();
    expect(receiver.requests.map((request) => eventOf(request).data.product.uuid)).toEqual([second, first, third]);
  });

  it('sends nothing on a PIM without the Event Platform', async () => {
    ({ pim } = await startConnectedSandbox({ eventPlatform: false }, { permission: false }));
    pim.touchProducts(2);
    await pim.eventPlatformSettled();
    expect(pim.eventDeliveries).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
  });
});
