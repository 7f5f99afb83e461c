import type { ProductChange } from './event-deliveries';
import { sha256Hex } from './state';

/** One accepted product event, as the event worker receives it. */
export interface QueuedProductEvent {
  readonly eventId: string;
  readonly change: ProductChange;
  readonly productUuid: string;
  /** ISO 8601. */
  readonly time: string;
}

/** What one batch of a PIM's product events asks of the export: products to read again, products deleted. */
export interface ProductEventBatch {
  /** Created or updated (their last event in the batch): read from the PIM and written as parts. */
  readonly changed: readonly string[];
  /** Deleted (their last event in the batch): written to `deleted.ndjson`. */
  readonly deleted: readonly string[];
  /** The same for the same events, so a retried batch rewrites its run instead of adding one. */
  readonly runId: string;
  /** From the oldest event's time to the newest's. */
  readonly window: { readonly from: string; readonly to: string };
}

/** Akeneo's `uuid` IN filter and page size: at most 100 uuids per search. */
export const UUIDS_PER_SEARCH = 100;

/**
 * Each product's last change in the batch decides: events arrive at least once and possibly out of order, so the one
 * with the latest `time` wins (the later one in the queue on a tie). A product read again after its deletion is simply
 * not found; one deleted after its update is exported as deleted.
 */
export function planProductEventBatch(events: readonly QueuedProductEvent[]): ProductEventBatch {
  if (events.length === 0) throw new Error('A batch of product events needs at least one event');
  const last = new Map<string, { change: ProductChange; at: number }>();
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    const at = Date.parse(event.time);
    from = Math.min(from, at);
    to = Math.max(to, at);
    const seen = last.get(event.productUuid);
    if (seen === undefined || at >= seen.at) last.set(event.productUuid, { change: event.change, at });
  }
  const changed: string[] = [];
  const deleted: string[] = [];
  for (const [uuid, { change }] of last) (change === 'deleted' ? deleted : changed).push(uuid);
  const ids = [...new Set(events.map((event) => event.eventId))].sort();
  const stamp = new Date(to)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return {
    changed,
    deleted,
    runId: `${stamp}-events-${sha256Hex(ids.join('\n')).slice(0, 8)}`,
    window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
  };
}

/** `items` in slices of at most `size`. */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
