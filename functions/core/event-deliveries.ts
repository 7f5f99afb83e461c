import { withoutControlCharacters } from './plain-text';

/**
 * What the Event Platform delivers to the app's two webhooks, read from the raw body once its signature is verified:
 * product events (CloudEvents 1.0, structured) and subscription notifications. Only the fields the app acts on are
 * read; the rest is ignored.
 */

export const PRODUCT_CHANGES = ['created', 'updated', 'deleted'] as const;
export type ProductChange = (typeof PRODUCT_CHANGES)[number];

/** The product events the app subscribes to, and the change each one stands for. */
const PRODUCT_EVENT_TYPES: Readonly<Record<string, ProductChange>> = {
  'com.akeneo.pim.v1.product.created': 'created',
  'com.akeneo.pim.v1.product.updated': 'updated',
  'com.akeneo.pim.v1.product.deleted': 'deleted',
};

/**
 * How old an event may be and still be processed. Akeneo retries a delivery at +5, +10 and +20 minutes, so a genuine
 * event arrives at most about 35 minutes after its `time` (plus the 5-second timeouts); a day leaves room for a
 * platform backlog and clock differences. An older body is a replay (the SQS deduplication remembers ids for 5
 * minutes only): it is answered 200, so that a genuine late retry never counts as a failure against the platform's
 * 90 % rule, and dropped; the scheduled sync (updates) and reconciliation (deletions) cover anything it held.
 */
export const EVENT_MAX_AGE_MS = 24 * 60 * 60_000;

export function isStale(time: Date, now: Date): boolean {
  return now.getTime() - time.getTime() > EVENT_MAX_AGE_MS;
}

/** Who made the change: for an API change, the calling app's client id (`type: "api"`). */
export interface EventAuthor {
  readonly identifier: string;
  readonly type: string;
}

export interface ProductEvent {
  readonly id: string;
  readonly type: string;
  /** The subscription the event was delivered for (CloudEvents `subject`). */
  readonly subscriptionId: string;
  readonly time: Date;
  /** The product and what happened to it; undefined for a type the app does not export. */
  readonly product?: { readonly change: ProductChange; readonly uuid: string; readonly author?: EventAuthor };
}

export interface SubscriptionNotification {
  /** `subscription.revoked`, `subscription.suspended.system`, `subscription.suspended.user`, `subscription.resumed`. */
  readonly type: string;
  readonly subscriptionId: string;
  readonly subscriberId?: string;
  readonly timestamp: Date;
  /** The platform's words, free of control characters, at most `MAX_REASON_LENGTH` characters. */
  readonly reason?: string;
  /** The PIM URL. */
  readonly subject?: string;
}

export type ParsedProductEvent = { readonly ok: true; readonly event: ProductEvent } | Malformed;
export type ParsedNotification = { readonly ok: true; readonly notification: SubscriptionNotification } | Malformed;
export interface Malformed {
  readonly ok: false;
  /** What is wrong, in words that quote nothing of the body. */
  readonly problem: string;
}

/** CloudEvents ids are free text; past this an id is not one the platform made. */
const MAX_EVENT_ID_LENGTH = 1024;
const MAX_REASON_LENGTH = 300;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function parseProductEvent(raw: Buffer): ParsedProductEvent {
  const body = jsonObject(raw);
  if (body === undefined) return malformed('the body is not a JSON object');
  if (body.specversion !== '1.0') return malformed('the body is not a CloudEvents 1.0 event');
  const { id, type, subject } = body;
  if (typeof id !== 'string' || id === '' || id.length > MAX_EVENT_ID_LENGTH) return malformed('no usable event id');
  if (typeof type !== 'string' || type === '') return malformed('no event type');
  if (typeof subject !== 'string' || subject === '') return malformed('no subject (subscription id)');
  const time = dateOf(body.time);
  if (time === undefined) return malformed('no event time');
  const change = PRODUCT_EVENT_TYPES[type];
  if (change === undefined) return { ok: true, event: { id, type, subscriptionId: subject, time } };

  const data = isJsonObject(body.data) ? body.data : {};
  const uuid = isJsonObject(data.product) ? data.product.uuid : undefined;
  if (typeof uuid !== 'string' || !UUID.test(uuid.toLowerCase())) return malformed('no product uuid');
  let author: EventAuthor | undefined;
  if (data.author !== undefined) {
    const { identifier, type: authorType } = isJsonObject(data.author) ? data.author : {};
    if (typeof identifier !== 'string' || typeof authorType !== 'string') return malformed('an unreadable author');
    author = { identifier, type: authorType };
  }
  return {
    ok: true,
    event: {
      id,
      type,
      subscriptionId: subject,
      time,
      product: { change, uuid: uuid.toLowerCase(), ...(author ? { author } : {}) },
    },
  };
}

export function parseSubscriptionNotification(raw: Buffer): ParsedNotification {
  const body = jsonObject(raw);
  if (body === undefined) return malformed('the body is not a JSON object');
  const { notification_type: type, subscription_id: subscriptionId, subscriber_id: subscriberId } = body;
  if (typeof type !== 'string' || type === '') return malformed('no notification type');
  if (typeof subscriptionId !== 'string' || subscriptionId === '') return malformed('no subscription id');
  const timestamp = dateOf(body.timestamp);
  if (timestamp === undefined) return malformed('no timestamp');
  const reason = typeof body.reason === 'string' ? plain(body.reason) : undefined;
  return {
    ok: true,
    notification: {
      type,
      subscriptionId,
      ...(typeof subscriberId === 'string' ? { subscriberId } : {}),
      timestamp,
      ...(reason ? { reason } : {}),
      ...(typeof body.subject === 'string' ? { subject: body.subject } : {}),
    },
  };
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonObject(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function plain(text: string): string | undefined {
  const cleaned = withoutControlCharacters(text).trim().slice(0, MAX_REASON_LENGTH);
  return cleaned === '' ? undefined : cleaned;
}

function malformed(problem: string): Malformed {
  return { ok: false, problem };
}
