import type { SandboxApp, SandboxPim } from '../../sandbox';
import { type ReceivedRequest, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import {
  createSubscriber,
  createSubscription,
  type EventPlatformCaller,
  hmacHex,
  management,
  NOTIFICATION_SECRET,
  PRODUCT_EVENTS,
  PRODUCT_UPDATED,
  RFC3339_SECONDS,
  startConnectedSandbox,
  subscriberInput,
  subscriptionInput,
  webhookContact,
} from './event-platform-helpers';
import { connectApp, postForm } from './sandbox-helpers';

/** The notification retries (1 s, then 2 s) become 10 ms and 20 ms. */
const RETRY_SCALE = 0.01;
const APP_REMOVED = 'The app was disconnected from the PIM.';

describe('sandbox Event Platform: subscription notifications and the uninstall signal', () => {
  let pim: SandboxPim;
  let app: SandboxApp;
  let caller: EventPlatformCaller;
  let receiver: WebhookReceiver;
  let subscriberId: string;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    ({ pim, app, caller } = await startConnectedSandbox({ eventPlatform: { retryScale: RETRY_SCALE } }));
    subscriberId = await createSubscriber(pim, caller, subscriberInput({}, webhookContact(receiver.url('/notify'))));
  });

  afterEach(async () => {
    await pim.close();
    await receiver.close();
  });

  const subscribe = (path = '/events', overrides: Record<string, unknown> = {}) =>
    createSubscription(pim, caller, subscriberId, subscriptionInput(pim, receiver.url(path), overrides));
  const subscriptionPath = (id: string) => `/subscribers/${subscriberId}/subscriptions/${id}`;
  const notifications = () => receiver.requestsTo('/notify');

  it('revokes everything at once on Disconnect and POSTs one signed subscription.revoked per subscription', async () => {
    const first = await subscribe('/events');
    const second = await subscribe('/more-events', { events: [PRODUCT_UPDATED] });

    const disconnected = await postForm(`${pim.url}/connect/connected-apps/${app.clientId}/disconnect`, {});
    expect(disconnected.status).toBe(303);
    // Revoked at once, before any notification is out.
    expect(pim.eventSubscriptions(app.clientId).map(({ status }) => status)).toEqual(['revoked', 'revoked']);
    expect(pim.eventPlatformPermission(app.clientId)).toBe(false);
    await pim.eventPlatformSettled();

    const received = notifications();
    expect(received).toHaveLength(2);
    for (const request of received) {
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toBe('akeneo/event-platform');
      expect(request.headers['x-akeneo-signature-algorithm']).toBe('HmacSHA256');
      expect(request.headers['x-akeneo-signature-primary']).toBe(hmacHex(NOTIFICATION_SECRET, request.rawBody));
      expect(request.headers).not.toHaveProperty('x-akeneo-signature-secondary');
    }
    const bodies = received.map((request) => request.json());
    expect(bodies).toEqual(
      expect.arrayContaining([
        {
          notification_type: 'subscription.revoked',
          timestamp: expect.stringMatching(RFC3339_SECONDS),
          subscription_id: first,
          subscriber_id: subscriberId,
          destination: receiver.url('/events'),
          events: PRODUCT_EVENTS,
          reason: APP_REMOVED,
          subject: pim.url,
        },
        {
          notification_type: 'subscription.revoked',
          timestamp: expect.stringMatching(RFC3339_SECONDS),
          subscription_id: second,
          subscriber_id: subscriberId,
          destination: receiver.url('/more-events'),
          events: [PRODUCT_UPDATED],
          reason: APP_REMOVED,
          subject: pim.url,
        },
      ]),
    );

    // The app can no longer use the management API, and its destinations receive nothing more.
    expect((await management(pim, caller, 'GET', '/subscribers')).status).toBe(401);
    pim.touchProducts(2);
    await pim.eventPlatformSettled();
    expect(receiver.requestsTo('/events')).toHaveLength(0);
    expect(receiver.requestsTo('/more-events')).toHaveLength(0);
  });

  it('revokes on SandboxPim.disconnect too, a suspended subscription included', async () => {
    const subscriptionId = await subscribe();
    expect((await management(pim, caller, 'POST', `${subscriptionPath(subscriptionId)}/suspend`)).status).toBe(200);
    pim.disconnect(app.clientId);
    await pim.eventPlatformSettled();
    expect(notifications().map((request) => request.json().notification_type)).toEqual([
      'subscription.suspended.user',
      'subscription.revoked',
    ]);
  });

  it('retries a notification on 5xx and 429 (after 1 s and 2 s, scaled), then stops', async () => {
    const subscriptionId = await subscribe();
    receiver.answer(500, 429);
    pim.disconnect(app.clientId);
    await pim.eventPlatformSettled();

    const webhook = pim.eventNotifications.filter(({ channel }) => channel === 'webhook');
    expect(webhook.map(({ attempt, result, outcome }) => [attempt, result, outcome])).toEqual([
      [1, 500, 'retry-scheduled'],
      [2, 429, 'retry-scheduled'],
      [3, 200, 'delivered'],
    ]);
    expect(webhook.every((record) => record.subscriptionId === subscriptionId)).toBe(true);
    const [one, two, three] = notifications() as [ReceivedRequest, ReceivedRequest, ReceivedRequest];
    expect(two.at - one.at).toBeGreaterThanOrEqual(1000 * RETRY_SCALE - 2);
    expect(three.at - two.at).toBeGreaterThanOrEqual(2000 * RETRY_SCALE - 2);
    expect(new Set([one, two, three].map((request) => request.rawBody.toString())).size).toBe(1);
    expect(pim.eventNotifications.some(({ channel }) => channel === 'email')).toBe(false);
  });

  it('makes at most 3 attempts, then falls back to the technical email', async () => {
    await subscribe();
    receiver.answer(503, 503, 503);
    pim.disconnect(app.clientId);
    await pim.eventPlatformSettled();
    expect(notifications()).toHaveLength(3);
    expect(pim.eventNotifications.map(({ channel, outcome }) => [channel, outcome])).toEqual([
      ['webhook', 'retry-scheduled'],
      ['webhook', 'retry-scheduled'],
      ['webhook', 'failed'],
      ['email', 'fallback-email'],
    ]);
  });

  it('does not retry a notification answered with another 4xx', async () => {
    await subscribe();
    receiver.answer(400);
    pim.disconnect(app.clientId);
    await pim.eventPlatformSettled();
    expect(notifications()).toHaveLength(1);
    expect(pim.eventNotifications.map(({ channel, outcome }) => [channel, outcome])).toEqual([
      ['webhook', 'failed'],
      ['email', 'fallback-email'],
    ]);
  });

  it('tells the subscriber of a suspend and a resume through the API, and delivers only while active', async () => {
    const subscriptionId = await subscribe();
    const suspended = await management(pim, caller, 'POST', `${subscriptionPath(subscriptionId)}/suspend`);
    expect(suspended).toEqual({ status: 200, body: expect.objectContaining({ status: 'suspended' }) });
    // Suspending again changes nothing and tells nobody.
    expect((await management(pim, caller, 'POST', `${subscriptionPath(subscriptionId)}/suspend`)).status).toBe(200);
    pim.touchProducts(1);
    await pim.eventPlatformSettled();
    expect(receiver.requestsTo('/events')).toHaveLength(0);

    const resumed = await management(pim, caller, 'POST', `${subscriptionPath(subscriptionId)}/resume`);
    expect(resumed).toEqual({ status: 200, body: expect.objectContaining({ status: 'active' }) });
    pim.touchProducts(1);
    await pim.eventPlatformSettled();
    expect(receiver.requestsTo('/events')).toHaveLength(1);
    const bodies = notifications().map((request) => request.json());
    expect(bodies.map((body) => [body.notification_type, body.subscription_id])).toEqual([
      ['subscription.suspended.user', subscriptionId],
      ['subscription.resumed', subscriptionId],
    ]);
    expect(bodies[0]).not.toHaveProperty('reason');
  });

  it('only records the email of a subscriber without the webhook channel', async () => {
    const emailOnly = await createSubscriber(pim, caller, subscriberInput());
    await createSubscription(pim, caller, emailOnly, subscriptionInput(pim, receiver.url('/events')));
    pim.disconnect(app.clientId);
    await pim.eventPlatformSettled();
    expect(notifications()).toHaveLength(0);
    expect(pim.eventNotifications).toEqual([
      expect.objectContaining({ subscriberId: emailOnly, notificationType: 'subscription.revoked', channel: 'email' }),
    ]);
  });

  it('shows the revoked subscriber to the reconnected app, which cannot change it but can create a new one', async () => {
    await subscribe();
    pim.disconnect(app.clientId);
    await pim.eventPlatformSettled();

    const token = (await connectApp(pim, app, 'read_products write_products')).access_token;
    const reconnected = { ...caller, token };
    expect((await management(pim, reconnected, 'GET', '/subscribers')).status).toBe(403);
    pim.setEventPlatformPermission(app.clientId, true);
    const listed = await management(pim, reconnected, 'GET', '/subscribers');
    expect(listed.body).toEqual([expect.objectContaining({ id: subscriberId, status: 'revoked' })]);
    const refused = await management(
      pim,
      reconnected,
      'POST',
      `/subscribers/${subscriberId}/subscriptions`,
      subscriptionInput(pim, receiver.url('/events')),
    );
    expect(refused).toEqual({ status: 409, body: { code: 409, message: expect.stringContaining('revoked') } });
    expect((await management(pim, reconnected, 'POST', '/subscribers', subscriberInput())).status).toBe(201);
  });
});
