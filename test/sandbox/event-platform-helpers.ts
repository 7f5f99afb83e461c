import { createHmac } from 'node:crypto';
import { request } from 'undici';
import type { SandboxApp, SandboxOptions, SandboxPim } from '../../sandbox';
import { connectApp, postForm, startSandboxWithApp } from './sandbox-helpers';

export const PRIMARY_SECRET = 'primary-secret-of-the-app-0001';
export const SECONDARY_SECRET = 'secondary-secret-of-the-app-02';
export const NOTIFICATION_SECRET = 'notification-secret-0123456789';
export const PRODUCT_UPDATED = 'com.akeneo.pim.v1.product.updated';
export const PRODUCT_CREATED = 'com.akeneo.pim.v1.product.created';
export const PRODUCT_DELETED = 'com.akeneo.pim.v1.product.deleted';
export const PRODUCT_EVENTS = [PRODUCT_CREATED, PRODUCT_UPDATED, PRODUCT_DELETED];

export interface ManagementAnswer {
  status: number;
  body: unknown;
}

/** The identity the app shows the Event Platform: its PIM, its live access token and its client id. */
export interface EventPlatformCaller {
  pimUrl: string;
  token: string;
  clientId: string;
}

/** A sandbox with one app connected (`scope`) and, unless told otherwise, the Event Platform permission ticked. */
export async function startConnectedSandbox(
  options: Omit<SandboxOptions, 'apps'> = {},
  { scope = 'read_products write_products', permission = true } = {},
): Promise<{ pim: SandboxPim; app: SandboxApp; caller: EventPlatformCaller }> {
  const { pim, app } = await startSandboxWithApp(options);
  const token = (await connectApp(pim, app, scope)).access_token;
  if (permission) pim.setEventPlatformPermission(app.clientId, true);
  return { pim, app, caller: { pimUrl: pim.url, token, clientId: app.clientId } };
}

/** One call to the sandbox's management API, with the three X-PIM-* headers of `caller` (each may be left out). */
export async function management(
  pim: SandboxPim,
  caller: Partial<EventPlatformCaller>,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<ManagementAnswer> {
  const headers: Record<string, string> = {};
  if (caller.pimUrl !== undefined) headers['x-pim-url'] = caller.pimUrl;
  if (caller.token !== undefined) headers['x-pim-token'] = caller.token;
  if (caller.clientId !== undefined) headers['x-pim-client-id'] = caller.clientId;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await request(`${pim.eventPlatformUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

export function subscriberInput(overrides: Record<string, unknown> = {}, contact: Record<string, unknown> = {}) {
  return {
    name: 'Local app subscriber',
    contact: { technical_email: 'ops@example.com', ...contact },
    ...overrides,
  };
}

export function webhookContact(url: string) {
  return {
    notification_channels: ['webhook'],
    notification_webhook_url: url,
    notification_webhook_secret: NOTIFICATION_SECRET,
  };
}

export function subscriptionInput(pim: SandboxPim, url: string, overrides: Record<string, unknown> = {}) {
  return {
    source: 'pim',
    subject: pim.url,
    events: PRODUCT_EVENTS,
    type: 'https',
    config: { url, secret: { primary: PRIMARY_SECRET } },
    ...overrides,
  };
}

/** Creates a subscriber and returns its id; fails the test on any other answer than 201. */
export async function createSubscriber(
  pim: SandboxPim,
  caller: EventPlatformCaller,
  input: unknown = subscriberInput(),
): Promise<string> {
  const answer = await management(pim, caller, 'POST', '/subscribers', input);
  if (answer.status !== 201) throw new Error(`Subscriber not created: ${answer.status} ${JSON.stringify(answer.body)}`);
  return (answer.body as { id: string }).id;
}

export async function createSubscription(
  pim: SandboxPim,
  caller: EventPlatformCaller,
  subscriberId: string,
  input: unknown,
): Promise<string> {
  const answer = await management(pim, caller, 'POST', `/subscribers/${subscriberId}/subscriptions`, input);
  if (answer.status !== 201) {
    throw new Error(`Subscription not created: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return (answer.body as { id: string }).id;
}

/** Hex HMAC-SHA256 of the raw bytes: the test's own computation of Akeneo's signature. */
export function hmacHex(secret: string, raw: Buffer): string {
  return createHmac('sha256', secret).update(raw).digest('hex');
}

/** Ticks or unticks the permission through the Connected apps page, as a PIM user would. */
export function submitPermissionForm(pim: SandboxPim, clientId: string, granted: boolean) {
  return postForm(
    `${pim.url}/connect/connected-apps/${encodeURIComponent(clientId)}/event-platform`,
    granted ? { permission: 'on' } : {},
  );
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const RFC3339_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
