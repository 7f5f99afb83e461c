import { withoutControlCharacters } from '../../core/plain-text';

/** A subscriber as the management API lists it (the notification secret is never returned). */
export interface PlatformSubscriber {
  readonly id: string;
  readonly name: string;
  /** `active`; `revoked` once the app was removed from the PIM. */
  readonly status: string;
  readonly notificationChannels: readonly string[];
  readonly notificationWebhookUrl?: string;
}

/** A subscription as the management API lists it (its secrets are redacted: only whether a secondary is set shows). */
export interface PlatformSubscription {
  readonly id: string;
  /** `active`, `suspended` (by the platform or a user) or `revoked`. */
  readonly status: string;
  readonly events: readonly string[];
  readonly url: string;
  readonly filter?: string;
  readonly hasSecondarySecret: boolean;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** A subscriber from a JSON answer; undefined when it lacks an id, a name or a status. */
export function subscriberFrom(value: unknown): PlatformSubscriber | undefined {
  if (!isObject(value)) return undefined;
  const id = text(value.id);
  const name = typeof value.name === 'string' ? value.name : undefined;
  const status = text(value.status);
  if (id === undefined || name === undefined || status === undefined) return undefined;
  const contact = isObject(value.contact) ? value.contact : {};
  const url = text(contact.notification_webhook_url);
  return {
    id,
    name,
    status,
    notificationChannels: strings(contact.notification_channels),
    ...(url === undefined ? {} : { notificationWebhookUrl: url }),
  };
}

/** A subscription from a JSON answer; undefined when it lacks an id, a status or a destination URL. */
export function subscriptionFrom(value: unknown): PlatformSubscription | undefined {
  if (!isObject(value)) return undefined;
  const id = text(value.id);
  const status = text(value.status);
  const config = isObject(value.config) ? value.config : {};
  const url = text(config.url);
  if (id === undefined || status === undefined || url === undefined) return undefined;
  const filter = text(value.filter);
  const secret = isObject(config.secret) ? config.secret : {};
  return {
    id,
    status,
    events: strings(value.events),
    url,
    ...(filter === undefined ? {} : { filter }),
    hasSecondarySecret: text(secret.secondary) !== undefined,
  };
}

/** Each item of a JSON array answer, or undefined when the answer or any item is not what was asked for. */
export function listFrom<T>(value: unknown, item: (value: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items = value.map(item);
  return items.every((parsed): parsed is T => parsed !== undefined) ? items : undefined;
}

const MAX_MESSAGE_LENGTH = 400;

/**
 * What the platform said of a refusal, for a log line: its `message` and each field error, without control
 * characters, cut to a few hundred characters. The caller still redacts the secrets it sent.
 */
export function refusalMessage(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return '';
  }
  if (!isObject(parsed)) return '';
  const fieldErrors = Array.isArray(parsed.errors)
    ? parsed.errors.filter(isObject).map((error) => `${String(error.property ?? '')}: ${String(error.message ?? '')}`)
    : [];
  const message = [text(parsed.message), ...fieldErrors].filter(Boolean).join('; ');
  return withoutControlCharacters(message).slice(0, MAX_MESSAGE_LENGTH);
}
