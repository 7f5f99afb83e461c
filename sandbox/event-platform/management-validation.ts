import { destinationUrlError } from './destination-url';
import { KNOWN_EVENT_TYPES } from './event-types';
import type { NotificationChannel, StoredContact, SubscriptionConfig } from './model';
import { FilterError, parseSubscriptionFilter } from './subscription-filter';

export interface FieldError {
  property: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface SubscriberFields {
  name: string;
  contact: StoredContact;
}

export interface SubscriptionFields {
  source: 'pim';
  subject: string;
  type: 'https';
  events: string[];
  config: SubscriptionConfig;
  filter?: string;
  sendProductIdentifier: boolean;
}

export const MIN_SECRET_LENGTH = 16;
export const MAX_SECRET_LENGTH = 256;
const MAX_NAME_LENGTH = 255;
const MAX_CUSTOM_HEADERS = 5;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,128}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]{0,256}$/;
const RESERVED_HEADERS = new Set(['content-type', 'user-agent', 'x-correlation-id', 'host', 'authorization', 'cookie']);
const CHANNELS: readonly NotificationChannel[] = ['email', 'webhook'];

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The same PIM URL, a trailing slash aside. */
export function samePimUrl(left: string, right: string): boolean {
  if (!URL.canParse(left) || !URL.canParse(right)) return false;
  const normalise = (value: string) => {
    const url = new URL(value);
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}${url.search}`;
  };
  return normalise(left) === normalise(right);
}

function secretError(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || value.length > MAX_SECRET_LENGTH) {
    return `The secret must have ${MIN_SECRET_LENGTH} to ${MAX_SECRET_LENGTH} characters.`;
  }
  return undefined;
}

class Collector {
  readonly errors: FieldError[] = [];

  add(property: string, message: string | undefined): void {
    if (message !== undefined) this.errors.push({ property, message });
  }
}

function validateName(collector: Collector, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') collector.add('name', 'This value should not be blank.');
  else if (value.length > MAX_NAME_LENGTH) {
    collector.add('name', `This value is too long: it should have ${MAX_NAME_LENGTH} characters or less.`);
  }
  return typeof value === 'string' ? value : '';
}

function validateChannels(collector: Collector, value: unknown): NotificationChannel[] {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return ['email'];
  const channels = Array.isArray(value) ? value : [];
  const valid = channels.every((channel) => CHANNELS.includes(channel as NotificationChannel));
  if (!Array.isArray(value) || !valid) {
    collector.add('contact.notification_channels', `Each channel must be one of ${CHANNELS.join(', ')}.`);
    return ['email'];
  }
  return [...new Set(channels as NotificationChannel[])];
}

function validateContact(collector: Collector, value: unknown): StoredContact {
  if (!isObject(value)) {
    collector.add('contact', 'The contact, with its technical_email, is required.');
    return { technical_email: '', notification_channels: ['email'] };
  }
  const email = value.technical_email;
  if (typeof email !== 'string' || email.length > MAX_NAME_LENGTH || !EMAIL.test(email)) {
    collector.add('contact.technical_email', 'This value is not a valid email address.');
  }
  const channels = validateChannels(collector, value.notification_channels);
  const contact: StoredContact = { technical_email: String(email ?? ''), notification_channels: channels };
  const { notification_webhook_url: url, notification_webhook_secret: secret } = value;
  const needsWebhook = channels.includes('webhook');
  if (needsWebhook || url !== undefined) {
    collector.add('contact.notification_webhook_url', destinationUrlError(url));
    if (typeof url === 'string') contact.notification_webhook_url = url;
  }
  if (needsWebhook || secret !== undefined) {
    collector.add('contact.notification_webhook_secret', secretError(secret));
    if (typeof secret === 'string') contact.notification_webhook_secret = secret;
  }
  return contact;
}

/** A subscriber's fields as POST /subscribers takes them (akeneo-apps-platform.md §2.1, notification-webhooks). */
export function validateSubscriber(input: unknown): Validated<SubscriberFields> {
  if (!isObject(input)) return { ok: false, errors: [{ property: '', message: 'The body must be a JSON object.' }] };
  const collector = new Collector();
  const name = validateName(collector, input.name);
  const contact = validateContact(collector, input.contact);
  return collector.errors.length > 0 ? { ok: false, errors: collector.errors } : { ok: true, value: { name, contact } };
}

/** The subscriber a PATCH asks for: given fields replace, `contact` fields merge, the secret stays unless given. */
export function patchedSubscriber(current: SubscriberFields, patch: unknown): Validated<SubscriberFields> {
  if (!isObject(patch)) return { ok: false, errors: [{ property: '', message: 'The body must be a JSON object.' }] };
  const contactPatch = patch.contact === undefined ? {} : patch.contact;
  if (!isObject(contactPatch)) return { ok: false, errors: [{ property: 'contact', message: 'Must be an object.' }] };
  return validateSubscriber({
    name: patch.name ?? current.name,
    contact: { ...current.contact, ...contactPatch },
  });
}

function validateEvents(collector: Collector, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    collector.add('events', 'At least one event type is required.');
    return [];
  }
  const unknown = value.filter((type) => typeof type !== 'string' || !KNOWN_EVENT_TYPES.has(type));
  if (unknown.length > 0) collector.add('events', `Unknown event type(s): ${unknown.map(String).join(', ')}.`);
  return [...new Set(value.map(String))];
}

function validateHeaders(collector: Collector, value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    collector.add('config.headers', 'The headers must be an object of names to values.');
    return undefined;
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_CUSTOM_HEADERS) {
    collector.add('config.headers', `At most ${MAX_CUSTOM_HEADERS} custom headers are allowed.`);
  }
  for (const [name, headerValue] of entries) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) {
      collector.add('config.headers', `"${name}": a header name has 1 to 128 letters, digits or hyphens.`);
    } else if (RESERVED_HEADERS.has(lower) || lower.startsWith('x-akeneo-signature-')) {
      collector.add('config.headers', `"${name}" is a reserved header name.`);
    }
    if (typeof headerValue !== 'string' || !PRINTABLE_ASCII.test(headerValue)) {
      collector.add('config.headers', `"${name}": a header value has at most 256 printable ASCII characters.`);
    }
  }
  return Object.fromEntries(entries.map(([name, headerValue]) => [name, String(headerValue)]));
}

function validateConfig(collector: Collector, value: unknown): SubscriptionConfig {
  if (!isObject(value)) {
    collector.add('config', 'The config, with its url and secret, is required.');
    return { url: '', secret: { primary: '' } };
  }
  collector.add('config.url', destinationUrlError(value.url));
  const secret = isObject(value.secret) ? value.secret : {};
  collector.add('config.secret.primary', secretError(secret.primary));
  const secondary = secret.secondary === '' || secret.secondary === null ? undefined : secret.secondary;
  if (secondary !== undefined) collector.add('config.secret.secondary', secretError(secondary));
  const headers = validateHeaders(collector, value.headers);
  return {
    url: String(value.url ?? ''),
    secret: {
      primary: String(secret.primary ?? ''),
      ...(secondary === undefined ? {} : { secondary: String(secondary) }),
    },
    ...(headers === undefined ? {} : { headers }),
  };
}

function validateFilter(collector: Collector, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    collector.add('filter', 'The filter must be a string.');
    return undefined;
  }
  try {
    parseSubscriptionFilter(value);
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    collector.add('filter', error.message);
  }
  return value;
}

/**
 * A subscription's fields as POST /subscribers/{id}/subscriptions takes them. `subject` must be the subscriber's
 * PIM; only `https` destinations are delivered by the sandbox (pubsub and kafka are refused with a clear message).
 */
export function validateSubscription(input: unknown, pimUrl: string): Validated<SubscriptionFields> {
  if (!isObject(input)) return { ok: false, errors: [{ property: '', message: 'The body must be a JSON object.' }] };
  const collector = new Collector();
  if (input.source !== 'pim') collector.add('source', 'The source must be "pim".');
  if (typeof input.subject !== 'string' || !samePimUrl(input.subject, pimUrl)) {
    collector.add('subject', `The subject must be the subscriber's PIM URL, ${pimUrl}.`);
  }
  const events = validateEvents(collector, input.events);
  if (input.type !== 'https') {
    const message =
      input.type === 'pubsub' || input.type === 'kafka'
        ? `The sandbox delivers only "https" subscriptions, not "${input.type}".`
        : 'The type must be "https", "pubsub" or "kafka".';
    collector.add('type', message);
  }
  const config = validateConfig(collector, input.config);
  const filter = validateFilter(collector, input.filter);
  const sendProductIdentifier = input.send_product_identifier ?? false;
  if (typeof sendProductIdentifier !== 'boolean') {
    collector.add('send_product_identifier', 'This value must be a boolean.');
  }
  if (collector.errors.length > 0) return { ok: false, errors: collector.errors };
  return {
    ok: true,
    value: {
      source: 'pim',
      subject: input.subject as string,
      type: 'https',
      events,
      config,
      ...(filter === undefined ? {} : { filter }),
      sendProductIdentifier: sendProductIdentifier === true,
    },
  };
}

/** The subscription a PATCH asks for: given fields replace, `config` fields merge; a null filter removes it. */
export function patchedSubscription(
  current: SubscriptionFields,
  patch: unknown,
  pimUrl: string,
): Validated<SubscriptionFields> {
  if (!isObject(patch)) return { ok: false, errors: [{ property: '', message: 'The body must be a JSON object.' }] };
  const configPatch = patch.config === undefined ? {} : patch.config;
  if (!isObject(configPatch)) return { ok: false, errors: [{ property: 'config', message: 'Must be an object.' }] };
  const currentInput: Fields = {
    source: current.source,
    subject: current.subject,
    type: current.type,
    events: current.events,
    config: current.config,
    filter: current.filter,
    send_product_identifier: current.sendProductIdentifier,
  };
  return validateSubscription({ ...currentInput, ...patch, config: { ...current.config, ...configPatch } }, pimUrl);
}
