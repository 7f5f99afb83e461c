import type { ProductSink, RunRef } from '../adapters/product-sink';
import type { RunEvents } from '../adapters/run-events';
import { runCompletedDetail } from '../contract/run-completed-event';
import { planProductEventBatch, type QueuedProductEvent, slices, UUIDS_PER_SEARCH } from '../core/product-event-batch';
import type { PimAccess } from '../pim-access';

export interface ApplyProductEventsDeps {
  /** The entry point: the connection's token, its call slots, and its books on a 401 or a 403. */
  readonly pims: Pick<PimAccess, 'withPim'>;
  readonly sink: ProductSink;
  readonly runEvents: RunEvents;
  readonly now: () => Date;
}

export type ProductEventsOutcome =
  | {
      readonly kind: 'written';
      readonly runId: string;
      /** Products read and written as parts. */
      readonly products: number;
      /** Changed products the PIM no longer has (deleted since): left to the deletion's own event. */
      readonly notFound: number;
      readonly deleted: number;
      readonly parts: number;
    }
  /** The PIM cannot be read (revoked, a scope missing, not connected): the events are dropped, the sync catches up. */
  | { readonly kind: 'dropped'; readonly status: string; readonly reason: string };

const PRODUCTS_PATH = '/api/rest/v1/products-uuid';

/**
 * One batch of a PIM's product events as a small run of the export: the changed products read with
 * `search={"uuid":[{"operator":"IN","value":[…]}]}` (100 per call, within the PIM's shared call slots), written as
 * parts; the deleted ones written as `deleted.ndjson`; the run completed (its manifest says `kind: "events"`) and its
 * event published with `kind: "events"`. A failure throws: the batch is retried as a whole and rewrites the same run.
 */
export function applyProductEvents(deps: ApplyProductEventsDeps) {
  return async (pimHost: string, events: readonly QueuedProductEvent[]): Promise<ProductEventsOutcome> => {
    const batch = planProductEventBatch(events);
    const run: RunRef = { pimHost, runId: batch.runId };
    const startedAt = deps.now().toISOString();
    const outcome = await deps.pims.withPim(pimHost, async (pim) => {
      const partCounts: number[] = [];
      for (const uuids of slices(batch.changed, UUIDS_PER_SEARCH)) {
        const query = { search: { uuid: [{ operator: 'IN', value: uuids }] }, limit: UUIDS_PER_SEARCH };
        for await (const page of pim.list(PRODUCTS_PATH, query)) {
          if (page.items.length === 0) continue;
          partCounts.push(page.items.length);
          await deps.sink.writePart(run, partCounts.length, page.items);
        }
      }
      return { partCounts, pimUrl: pim.connection.pimUrl };
    });
    if (outcome.status !== 'done') return { kind: 'dropped', status: outcome.status, reason: outcome.reason };
    const { partCounts, pimUrl } = outcome.value;
    if (batch.deleted.length > 0) await deps.sink.writeDeleted(run, batch.deleted);
    const completedAt = deps.now().toISOString();
    const manifest = await deps.sink.completeRun(run, {
      kind: 'events',
      pimUrl,
      window: batch.window,
      parts: partCounts.map((productCount, index) => ({ partNumber: index + 1, productCount })),
      rereadCount: 0,
      deletedCount: batch.deleted.length,
      startedAt,
      completedAt,
    });
    const detail = runCompletedDetail(
      {
        pimHost,
        pimUrl,
        runId: run.runId,
        window: batch.window,
        partProductCounts: partCounts,
        rereadCount: 0,
        startedAt,
        completedAt,
      },
      manifest,
    );
    await deps.runEvents.publishRunCompleted({
      ...detail,
      kind: 'events',
      counts: { ...detail.counts, deleted: batch.deleted.length },
    });
    const products = partCounts.reduce((sum, count) => sum + count, 0);
    return {
      kind: 'written',
      runId: run.runId,
      products,
      notFound: batch.changed.length - products,
      deleted: batch.deleted.length,
      parts: partCounts.length,
    };
  };
}
