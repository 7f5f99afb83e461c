import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SandboxApp, type SandboxPim, startSandboxPim } from '../../sandbox';
import {
  createSubscriber,
  createSubscription,
  type EventPlatformCaller,
  management,
  NOTIFICATION_SECRET,
  PRIMARY_SECRET,
  PRODUCT_EVENTS,
  PRODUCT_UPDATED,
  SECONDARY_SECRET,
  startConnectedSandbox,
  submitPermissionForm,
  subscriberInput,
  subscriptionInput,
  UUID,
  webhookContact,
} from './event-platform-helpers';
import { ACTIVATE_URL, CALLBACK_URL, connectApp, http } from './sandbox-helpers';

const RECEIVER = 'https://app.example.com/akeneo/events';
const NOTIFICATIONS = 'https://app.example.com/akeneo/notifications';
const REDACTED = '***redacted***';

describe('sandbox Event Platform: the management API', () => {
  let pim: SandboxPim;
  let app: SandboxApp;
  let caller: EventPlatformCaller;

  beforeEach(async () => {
    ({ pim, app, caller } = await startConnectedSandbox({}, { permission: false }));
  });

  afterEach(() => pim.close());

  it('is served under the sandbox, at the URL startSandboxPim reports', () => {
    expect(pim.eventPlatformUrl).toBe(`${pim.url}/event-platform/api/v1`);
  });

  it('creates, reads, updates and deletes a subscriber and its subscriptions once the permission is ticked', async () => {
    const ticked = await submitPermissionForm(pim, app.clientId, true);
    expect(ticked).toMatchObject({ status: 303, location: '/connect/connected-apps' });

    const created = await management(
      pim,
      caller,
      'POST',
      '/subscribers',
      subscriberInput({}, webhookContact(NOTIFICATIONS)),
    );
    expect(created.status).toBe(201);
    const subscriber = created.body as Record<string, unknown>;
    expect(subscriber).toEqual({
      id: expect.stringMatching(UUID),
      name: 'Local app subscriber',
      subject: pim.url,
      status: 'active',
      contact: {
        technical_email: 'ops@example.com',
        notification_channels: ['webhook'],
        notification_webhook_url: NOTIFICATIONS,
      },
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
      updated_at: subscriber.created_at,
    });
    expect(JSON.stringify(created.body)).not.toContain(NOTIFICATION_SECRET);
    const subscriberId = subscriber.id as string;

    expect(await management(pim, caller, 'GET', '/subscribers')).toEqual({ status: 200, body: [subscriber] });
    expect(await management(pim, caller, 'GET', `/subscribers/${subscriberId}`)).toEqual({
      status: 200,
      body: subscriber,
    });

    const subscriptionPath = `/subscribers/${subscriberId}/subscriptions`;
    const input = subscriptionInput(pim, RECEIVER, {
      config: {
        url: RECEIVER,
        secret: { primary: PRIMARY_SECRET, secondary: SECONDARY_SECRET },
        headers: { 'X-Api-Key': 'key-value' },
      },
      filter: `not user="${app.clientId}"`,
    });
    const subscriptionAnswer = await management(pim, caller, 'POST', subscriptionPath, input);
    expect(subscriptionAnswer.status).toBe(201);
    const subscription = subscriptionAnswer.body as Record<string, unknown>;
    expect(subscription).toEqual({
      id: expect.stringMatching(UUID),
      subscriber_id: subscriberId,
      source: 'pim',
      subject: pim.url,
      type: 'https',
      events: PRODUCT_EVENTS,
      status: 'active',
      config: { url: RECEIVER, secret: { primary: REDACTED, secondary: REDACTED }, headers: { 'X-Api-Key': REDACTED } },
      filter: `not user="${app.clientId}"`,
      send_product_identifier: false,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const subscriptionId = subscription.id as string;
    expect(await management(pim, caller, 'GET', subscriptionPath)).toEqual({ status: 200, body: [subscription] });

    const patched = await management(pim, caller, 'PATCH', `${subscriptionPath}/${subscriptionId}`, {
      events: [PRODUCT_UPDATED],
      send_product_identifier: true,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      id: subscriptionId,
      events: [PRODUCT_UPDATED],
      send_product_identifier: true,
    });
    expect(pim.eventSubscriptions(app.clientId)).toEqual([
      expect.objectContaining({
        id: subscriptionId,
        subscriberId,
        status: 'active',
        events: [PRODUCT_UPDATED],
        url: RECEIVER,
      }),
    ]);

    const page = await http(`${pim.url}/connect/connected-apps`);
    expect(page.text).toMatch(new RegExp(`data-testid="event-platform-permission-${app.clientId}"[^>]* checked`));
    expect(page.text).toContain(`data-testid="event-subscription-${subscriptionId}"`);
    expect(page.text).toContain(RECEIVER);

    expect(await management(pim, caller, 'DELETE', `${subscriptionPath}/${subscriptionId}`)).toEqual({
      status: 204,
      body: undefined,
    });
    expect((await management(pim, caller, 'GET', `${subscriptionPath}/${subscriptionId}`)).status).toBe(404);
    expect(await management(pim, caller, 'DELETE', `/subscribers/${subscriberId}`)).toEqual({
      status: 204,
      body: undefined,
    });
    expect(await management(pim, caller, 'GET', '/subscribers')).toEqual({ status: 200, body: [] });
  });

  it('updates a subscriber; an empty notification_channels goes back to email', async () => {
    pim.setEventPlatformPermission(app.clientId, true);
    const id = await createSubscriber(pim, caller, subscriberInput({}, webhookContact(NOTIFICATIONS)));
    const renamed = await management(pim, caller, 'PATCH', `/subscribers/${id}`, {
      name: 'Renamed',
      contact: { notification_channels: [] },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      name: 'Renamed',
      contact: { technical_email: 'ops@example.com', notification_channels: ['email'] },
    });
  });

  it('refuses a caller that does not prove who it is with 401, and writes nothing', async () => {
    pim.setEventPlatformPermission(app.clientId, true);
    const body = subscriberInput();
    const other = pim.addApp({ name: 'Other app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
    const otherToken = (await connectApp(pim, other, 'read_products')).access_token;
    const refusals = [
      { pimUrl: caller.pimUrl, token: caller.token },
      { pimUrl: caller.pimUrl, clientId: caller.clientId },
      { token: caller.token, clientId: caller.clientId },
      { ...caller, pimUrl: 'https://another-pim.example.com' },
      { ...caller, token: 'not-a-token' },
      { ...caller, token: otherToken },
    ];
    for (const refused of refusals) {
      const answer = await management(pim, refused, 'POST', '/subscribers', body);
      expect(answer).toEqual({ status: 401, body: { code: 401, message: expect.any(String) } });
      expect(JSON.stringify(answer.body)).not.toContain(caller.token);
    }
    expect(await management(pim, caller, 'GET', '/subscribers')).toEqual({ status: 200, body: [] });
    // The PIM URL may be written with a trailing slash.
    expect((await management(pim, { ...caller, pimUrl: `${pim.url}/` }, 'GET', '/subscribers')).status).toBe(200);

    pim.disconnect(app.clientId);
    const afterDisconnect = await management(pim, caller, 'GET', '/subscribers');
    expect(afterDisconnect.status).toBe(401);
  });

  it('answers 403 with a clear message while the permission is unticked', async () => {
    const refused = await management(pim, caller, 'POST', '/subscribers', subscriberInput());
    expect(refused).toEqual({
      status: 403,
      body: { code: 403, message: expect.stringContaining('Event Platform permission') },
    });
    expect((await management(pim, caller, 'GET', '/subscribers')).status).toBe(403);

    const page = await http(`${pim.url}/connect/connected-apps`);
    expect(page.text).toContain(`data-testid="event-platform-permission-${app.clientId}"`);
    expect(page.text).not.toMatch(new RegExp(`data-testid="event-platform-permission-${app.clientId}"[^>]* checked`));

    await submitPermissionForm(pim, app.clientId, true);
    expect((await management(pim, caller, 'POST', '/subscribers', subscriberInput())).status).toBe(201);
    await submitPermissionForm(pim, app.clientId, false);
    expect((await management(pim, caller, 'GET', '/subscribers')).status).toBe(403);
  });

  it('refuses each invalid subscriber field with 400 naming it, and writes nothing', async () => {
    pim.setEventPlatformPermission(app.clientId, true);
    const cases: [string, unknown][] = [
      ['name', subscriberInput({ name: '  ' })],
      ['name', subscriberInput({ name: 'x'.repeat(256) })],
      ['contact', { name: 'No contact' }],
      ['contact.technical_email', subscriberInput({}, { technical_email: 'not-an-email' })],
      ['contact.notification_channels', subscriberInput({}, { notification_channels: ['sms'] })],
      ['contact.notification_webhook_url', subscriberInput({}, { notification_channels: ['webhook'] })],
      [
        'contact.notification_webhook_url',
        subscriberInput({}, { ...webhookContact('http://app.example.com/notifications') }),
      ],
      ['contact.notification_webhook_url', subscriberInput({}, { ...webhookContact('ftp://app.example.com/n') })],
      [
        'contact.notification_webhook_secret',
        subscriberInput({}, { ...webhookContact(NOTIFICATIONS), notification_webhook_secret: 'x'.repeat(15) }),
      ],
      [
        'contact.notification_webhook_secret',
        subscriberInput({}, { ...webhookContact(NOTIFICATIONS), notification_webhook_secret: 'x'.repeat(257) }),
      ],
    ];
    for (const [property, input] of cases) {
      const answer = await management(pim, caller, 'POST', '/subscribers', input);
      expect({ property, answer }).toEqual({
        property,
        answer: {
          status: 400,
          body: {
            code: 400,
            message: 'Validation failed.',
            errors: expect.arrayContaining([{ property, message: expect.any(String) }]),
          },
        },
      });
    }
    expect(await management(pim, caller, 'POST', '/subscribers', '{not json')).toEqual({
      status: 400,
      body: { code: 400, message: 'The request body is not valid JSON.' },
    });
    expect(await management(pim, caller, 'GET', '/subscribers')).toEqual({ status: 200, body: [] });

    // Secrets of exactly 16 and 256 characters, and http on a loopback host (a sandbox rule), are accepted.
    for (const secret of ['x'.repeat(16), 'x'.repeat(256)]) {
      const contact = { ...webhookContact('http://127.0.0.1:9/notifications'), notification_webhook_secret: secret };
      expect((await management(pim, caller, 'POST', '/subscribers', subscriberInput({}, contact))).status).toBe(201);
    }
  });

  it('refuses each invalid subscription field with 400 naming it, and writes nothing', async () => {
    pim.setEventPlatformPermission(app.clientId, true);
    const subscriberId = await createSubscriber(pim, caller);
    const path = `/subscribers/${subscriberId}/subscriptions`;
    const valid = subscriptionInput(pim, RECEIVER);
    const cases: [string, unknown][] = [
      ['source', { ...valid, source: 'benchmark' }],
      ['subject', { ...valid, subject: 'https://another-pim.example.com' }],
      ['events', { ...valid, events: [] }],
      ['events', { ...valid, events: ['com.akeneo.pim.v1.product.renamed'] }],
      ['type', { ...valid, type: 'pubsub' }],
      [
        'config.url',
        { ...valid, config: { url: 'http://app.example.com/events', secret: { primary: PRIMARY_SECRET } } },
      ],
      ['config.secret.primary', { ...valid, config: { url: RECEIVER } }],
      ['config.secret.primary', { ...valid, config: { url: RECEIVER, secret: { primary: 'short' } } }],
      [
        'config.headers',
        { ...valid, config: { url: RECEIVER, secret: { primary: PRIMARY_SECRET }, headers: { Authorization: 'x' } } },
      ],
      ['filter', { ...valid, filter: 'attribute="name"' }],
      ['filter', { ...valid, filter: 'user=system' }],
      ['filter', { ...valid, filter: `user="${'x'.repeat(500)}"` }],
      ['filter', { ...valid, filter: 'user_type="robot"' }],
      ['send_product_identifier', { ...valid, send_product_identifier: 'yes' }],
    ];
    for (const [property, input] of cases) {
      const answer = await management(pim, caller, 'POST', path, input);
      expect({ property, answer }).toEqual({
        property,
        answer: {
          status: 400,
          body: {
            code: 400,
            message: 'Validation failed.',
            errors: expect.arrayContaining([{ property, message: expect.any(String) }]),
          },
        },
      });
    }
    const attributeFilter = await management(pim, caller, 'POST', path, { ...valid, filter: 'attribute="name"' });
    expect(JSON.stringify(attributeFilter.body)).toContain('The sandbox does not implement the attribute filter');
    expect(await management(pim, caller, 'GET', path)).toEqual({ status: 200, body: [] });

    const filters = [
      `not user="${app.clientId}"`,
      'user_type="api" or user_type="job"',
      `(user_type in ["user", "job"]) and not user="system"`,
    ];
    for (const filter of filters) {
      expect((await management(pim, caller, 'POST', path, { ...valid, filter })).status).toBe(201);
    }
  });

  it('allows 20 subscribers per PIM and 20 subscriptions per subscriber', async () => {
    pim.setEventPlatformPermission(app.clientId, true);
    const subscriberIds: string[] = [];
    for (let index = 0; index < 20; index += 1) subscriberIds.push(await createSubscriber(pim, caller));
    const tooMany = await management(pim, caller, 'POST', '/subscribers', subscriberInput());
    expect(tooMany).toEqual({ status: 409, body: { code: 409, message: expect.stringContaining('20 subscribers') } });

    const path = `/subscribers/${subscriberIds[0]}/subscriptions`;
    for (let index = 0; index < 20; index += 1) {
      await createSubscription(pim, caller, subscriberIds[0] as string, subscriptionInput(pim, RECEIVER));
    }
    const tooManySubscriptions = await management(pim, caller, 'POST', path, subscriptionInput(pim, RECEIVER));
    expect(tooManySubscriptions).toEqual({
      status: 409,
      body: { code: 409, message: expect.stringContaining('20 subscriptions') },
    });
    expect((await management(pim, caller, 'GET', path)).body).toHaveLength(20);

    // A deleted subscriber frees its place.
    await management(pim, caller, 'DELETE', `/subscribers/${subscriberIds[1]}`);
    expect((await management(pim, caller, 'POST', '/subscribers', subscriberInput())).status).toBe(201);
  });

  it("hides another app's subscribers (404) and answers 404 for unknown paths", async () => {
    pim.setEventPlatformPermission(app.clientId, true);
    const other = pim.addApp({ name: 'Other app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL });
    const otherToken = (await connectApp(pim, other, 'read_products')).access_token;
    pim.setEventPlatformPermission(other.clientId, true);
    const otherCaller = { pimUrl: pim.url, token: otherToken, clientId: other.clientId };
    const otherSubscriber = await createSubscriber(pim, otherCaller);

    expect((await management(pim, caller, 'GET', `/subscribers/${otherSubscriber}`)).status).toBe(404);
    expect((await management(pim, caller, 'DELETE', `/subscribers/${otherSubscriber}`)).status).toBe(404);
    expect((await management(pim, caller, 'GET', `/subscribers/${otherSubscriber}/subscriptions`)).status).toBe(404);
    expect(await management(pim, caller, 'GET', '/subscribers')).toEqual({ status: 200, body: [] });
    expect((await management(pim, caller, 'GET', '/nothing-here')).status).toBe(404);
    expect((await management(pim, caller, 'PATCH', '/subscribers')).status).toBe(405);
  });
});

describe('sandbox Event Platform: a PIM without it', () => {
  it('answers 404 on the whole management API and shows no permission', async () => {
    const { pim, app, caller } = await startConnectedSandbox({ eventPlatform: false }, { permission: false });
    try {
      expect(pim.eventPlatformUrl).toBe(`${pim.url}/event-platform/api/v1`);
      expect(await management(pim, caller, 'POST', '/subscribers', subscriberInput())).toEqual({
        status: 404,
        body: { code: 404, message: 'Not Found' },
      });
      const page = await http(`${pim.url}/connect/connected-apps`);
      expect(page.text).toContain(app.name);
      expect(page.text).not.toContain('event-platform-permission');
      expect(() => pim.setEventPlatformPermission(app.clientId, true)).toThrow(/no Event Platform/);
      expect((await submitPermissionForm(pim, app.clientId, true)).status).toBe(404);
    } finally {
      await pim.close();
    }
  });

  it('keeps subscribers, subscriptions and permissions across a restart with a state file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sandbox-events-'));
    const stateFile = join(directory, 'state.json');
    try {
      const first = await startConnectedSandbox({ stateFile });
      const subscriberId = await createSubscriber(first.pim, first.caller);
      await createSubscription(first.pim, first.caller, subscriberId, subscriptionInput(first.pim, RECEIVER));
      const subscriptions = first.pim.eventSubscriptions(first.app.clientId);
      await first.pim.close();

      const second = await startSandboxPim({ stateFile, apps: [{ ...first.app }] });
      try {
        expect(second.eventSubscriptions(first.app.clientId)).toEqual(subscriptions);
        expect(second.eventPlatformPermission(first.app.clientId)).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
