import { createHash } from 'node:crypto';
import { PRODUCT_CHANGES, type ProductChange } from '../core/event-deliveries';

/**
 * The body of an events queue message: one product event the events webhook accepted, for the event worker. The
 * PIM host is also the message group, and the deduplication id (`deduplicationIdOf(eventId)`) travels beside the body.
 */

export interface ProductEventMessageBody {
  readonly pimHost: string;
  readonly eventId: string;
  readonly change: ProductChange;
  readonly productUuid: string;
  /** The event's `time`, ISO 8601. */
  readonly time: string;
  /** Who made the change: the worker drops the app's own API writes. */
  readonly author?: { readonly identifier: string; readonly type: string };
}

export function encodeProductEventMessage(message: ProductEventMessageBody): string {
  const { pimHost, eventId, change, productUuid, time, author } = message;
  return JSON.stringify({ pimHost, eventId, change, productUuid, time, ...(author ? { author } : {}) });
}

export function decodeProductEventMessage(text: string): ProductEventMessageBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error('A product event message that is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error('A product event message that is not a JSON object');
  }
  const { pimHost, eventId, change, productUuid, time, author } = body as Record<string, unknown>;
  const isText = (value: unknown) => typeof value === 'string' && value !== '';
  if (!isText(pimHost)) throw new Error('A product event message without a PIM host');
  if (!isText(eventId)) throw new Error('A product event message without an event id');
  if (!(PRODUCT_CHANGES as readonly unknown[]).includes(change)) {
    throw new Error(`A product event message of an unknown change (expected ${PRODUCT_CHANGES.join(', ')})`);
  }
  if (!isText(productUuid)) throw new Error('A product event message without a product uuid');
  if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) {
    throw new Error('A product event message without a valid time');
  }
  const { identifier, type } = (author ?? {}) as Record<string, unknown>;
  const knownAuthor = typeof identifier === 'string' && typeof type === 'string' ? { identifier, type } : undefined;
  return {
    pimHost: pimHost as string,
    eventId: eventId as string,
    change: change as ProductChange,
    productUuid: productUuid as string,
    time,
    ...(knownAuthor ? { author: knownAuthor } : {}),
  };
}

/** What SQS accepts as a deduplication id: up to 128 letters, digits and ASCII punctuation. */
const SQS_DEDUPLICATION_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

/** The event id, as is when SQS takes it, else its SHA-256 (an id is free text in CloudEvents). */
export function deduplicationIdOf(eventId: string): string {
  if (SQS_DEDUPLICATION_ID.test(eventId)) return eventId;
  return `sha256-${createHash('sha256').update(eventId, 'utf8').digest('hex')}`;
}
