import type { ReconcileStateStore } from '../adapters/connection-store';
import type { ProductSink, RunRef } from '../adapters/product-sink';
import type { RunEvents } from '../adapters/run-events';
import type { SyncQueue } from '../adapters/sync-queue';
import type { SnapshotRef, UuidSnapshots } from '../adapters/uuid-snapshots';
import { parseListPage } from '../akeneo/list-page';
import type { ReconciliationCompletedDetail } from '../contract/reconciliation-completed-event';
import type { Connection } from '../core/connection';
import { UnexpectedPimAnswerError } from '../core/errors';
import type { ProductSource } from '../core/product-source';
import {
  canonicalUuid,
  isReconcileDue,
  ListingOrder,
  type ListingSource,
  MAX_PASS_PAGES,
  nextReconcileDue,
  partCount,
  partCounts,
  type ReconcileCheckpoint,
  sameSource,
  totalCount,
  UUIDS_PER_PART,
  withPart,
} from '../core/reconciliation';
import { PaginationLimitError, RunEventPendingError } from '../core/sync-errors';
import { newRunId } from '../core/sync-window';
import type { PimAccess, PimClient } from '../pim-access';
import { type RefusedOutcome, refusedOutcome } from './sync-products';

export interface ReconcileProductsDeps {
  readonly pims: Pick<PimAccess, 'withPim'>;
  readonly store: Pick<
    ReconcileStateStore,
    'get' | 'saveReconcileCheckpoint' | 'completeReconciliation' | 'clearReconciliationEvent'
  >;
  readonly sink: Pick<ProductSink, 'writeDeletedPart' | 'completeReconciliation'>;
  readonly snapshots: UuidSnapshots;
  readonly queue: SyncQueue;
  readonly runEvents: Pick<RunEvents, 'publishReconciliationCompleted'>;
  /** The deployment's product source (`PRODUCT_SOURCE`): what a pass lists. */
  readonly productSource: ProductSource;
  /** Hours from one pass's start to the next pass (`RECONCILE_HOURS`). */
  readonly periodHours: number;
  /** Time kept for the last writes, the checkpoint and the continuation once the pass must stop. */
  readonly reserveMs: number;
  readonly now: () => Date;
  readonly randomBytes: (size: number) => Uint8Array;
  /** UUIDs per snapshot part and per deleted part. @default UUIDS_PER_PART */
  readonly partSize?: number;
}

export interface ReconcileProductsInput {
  readonly pimHost: string;
  /** Set for a continuation: only this pass is resumed. */
  readonly runId?: string;
  /** Runs a pass even if none is due yet (`npm run sync -- --reconcile`). */
  readonly force?: boolean;
  readonly timeLeftMs: () => number;
}

/** What a pass has found so far. */
export interface PassTotals {
  readonly runId: string;
  /** Products listed so far. */
  readonly listed: number;
  /** Products of the previous snapshot found missing so far. */
  readonly deleted: number;
  /** The pass compared with; absent on a first pass. */
  readonly previousRunId?: string;
}

export type ReconcileOutcome =
  | ({ readonly kind: 'completed' } & PassTotals)
  | ({ readonly kind: 'continued'; readonly reason: 'time' } & PassTotals)
  | RefusedOutcome;

export type ReconcileProducts = (input: ReconcileProductsInput) => Promise<ReconcileOutcome>;

/** The first page of a pass's listing: UUIDs only for a catalog, the lightest product page otherwise. */
export function listingUrl(pimUrl: string, source: ListingSource): string {
  if (source.kind === 'catalog') {
    return `${pimUrl}/api/rest/v1/catalogs/${encodeURIComponent(source.catalogId)}/product-uuids?limit=1000`;
  }
  return `${pimUrl}/api/rest/v1/products-uuid?pagination_type=search_after&limit=100`;
}

/**
 * A reconciliation pass: lists every product the app can see, in UUID order, writes that list as the new snapshot,
 * and walks the previous snapshot beside it: a UUID of the previous snapshot the listing went past is a deleted
 * product (or, for a catalog, one that left its selection). One part of each list is held at a time. When time runs
 * low, what was read is written, a checkpoint of positions saved, and a `reconcile` message carries the pass on. The
 * new snapshot replaces the previous one only when the pass completed.
 */
export const reconcileProducts =
  (deps: ReconcileProductsDeps): ReconcileProducts =>
  async (input) => {
    const connection = await deps.store.get(input.pimHost);
    if (connection?.pendingReconciliationEvent) {
      await publishPassEvent(deps, connection.pimHost, connection.pendingReconciliationEvent);
    }
    const outcome = await deps.pims.withPim(connection ?? input.pimHost, (pim) => passWith(deps, input, pim), {
      waitBudgetMs: () => input.timeLeftMs() - deps.reserveMs,
      storedLinks: (stored) => (stored.reconcileCheckpoint ? [stored.reconcileCheckpoint.nextUrl] : []),
    });
    return outcome.status === 'done' ? outcome.value : refusedOutcome(outcome);
  };

async function passWith(
  deps: ReconcileProductsDeps,
  input: ReconcileProductsInput,
  pim: PimClient,
): Promise<ReconcileOutcome> {
  const { connection } = pim;
  const stored = connection.reconcileCheckpoint;
  if (input.runId !== undefined && stored?.runId !== input.runId) {
    return { kind: 'skipped', reason: 'the pass to continue has already ended' };
  }
  if (stored !== undefined) return walk(deps, input, pim, stored);
  if (!input.force && !isReconcileDue(connection.reconcileDueAt, deps.now())) {
    return { kind: 'skipped', reason: 'no reconciliation pass is due' };
  }
  const source = sourceOf(deps.productSource, connection);
  if (source === undefined) return { kind: 'skipped', reason: 'the app has no catalog in this PIM yet' };
  return walk(deps, input, pim, startPass(deps, connection, pim.baseUrl, source));
}

function sourceOf(productSource: ProductSource, connection: Connection): ListingSource | undefined {
  if (productSource === 'products') return { kind: 'products' };
  return connection.catalogId === undefined ? undefined : { kind: 'catalog', catalogId: connection.catalogId };
}

function startPass(
  deps: ReconcileProductsDeps,
  connection: Connection,
  baseUrl: string,
  source: ListingSource,
): ReconcileCheckpoint {
  const startedAt = deps.now();
  const last = connection.lastReconciliation;
  // A snapshot of another source (the deployment switched) is no reference: its products did not leave.
  const previous =
    last !== undefined && sameSource(last.source, source) ? { runId: last.runId, parts: last.parts } : undefined;
  return {
    runId: newRunId(startedAt, deps.randomBytes),
    startedAt: startedAt.toISOString(),
    source,
    nextUrl: listingUrl(baseUrl, source),
    ...(previous === undefined ? {} : { previous }),
    previousAt: { part: 1, index: 0 },
    pages: 0,
    listedParts: [],
    deletedParts: [],
  };
}

/** The previous pass's snapshot, read back one part at a time from a position. */
class PreviousSnapshot {
  private part: string[] | undefined;

  constructor(
    private readonly snapshots: UuidSnapshots,
    private readonly ref: SnapshotRef | undefined,
    private readonly parts: number,
    private at: { part: number; index: number },
  ) {}

  get position(): { readonly part: number; readonly index: number } {
    return { ...this.at };
  }

  /** The next UUID not yet walked past, or undefined at the end. */
  async peek(): Promise<string | undefined> {
    while (this.ref !== undefined && this.at.part <= this.parts) {
      this.part ??= await this.snapshots.readPart(this.ref, this.at.part);
      if (this.at.index < this.part.length) return this.part[this.at.index];
      this.at = { part: this.at.part + 1, index: 0 };
      this.part = undefined;
    }
    return undefined;
  }

  advance(): void {
    this.at = { part: this.at.part, index: this.at.index + 1 };
  }
}

async function walk(
  deps: ReconcileProductsDeps,
  input: ReconcileProductsInput,
  pim: PimClient,
  pass: ReconcileCheckpoint,
): Promise<ReconcileOutcome> {
  const { pimHost } = pim;
  const partSize = deps.partSize ?? UUIDS_PER_PART;
  const ref: RunRef = { pimHost, runId: pass.runId };
  const previous = new PreviousSnapshot(
    deps.snapshots,
    pass.previous && { pimHost, runId: pass.previous.runId },
    pass.previous?.parts ?? 0,
    pass.previousAt,
  );
  const order = new ListingOrder(pimHost, pass.lastUuid);
  let listedParts = pass.listedParts;
  let deletedParts = pass.deletedParts;
  let listed: string[] = [];
  let deleted: string[] = [];
  let pages = pass.pages;
  const totals = (): PassTotals => ({
    runId: pass.runId,
    listed: totalCount(listedParts) + listed.length,
    deleted: totalCount(deletedParts) + deleted.length,
    ...(pass.previous ? { previousRunId: pass.previous.runId } : {}),
  });
  const flushListed = async () => {
    if (listed.length === 0) return;
    await deps.snapshots.writePart(ref, partCount(listedParts) + 1, listed);
    listedParts = withPart(listedParts, listed.length, pimHost);
    listed = [];
  };
  const flushDeleted = async () => {
    if (deleted.length === 0) return;
    await deps.sink.writeDeletedPart(ref, partCount(deletedParts) + 1, deleted);
    deletedParts = withPart(deletedParts, deleted.length, pimHost);
    deleted = [];
  };
  /** Every UUID of the previous snapshot before `uuid` (all that remain, without one) left the app's view. */
  const walkPreviousTo = async (uuid?: string) => {
    for (let next = await previous.peek(); next !== undefined; next = await previous.peek()) {
      if (uuid !== undefined && next >= uuid) {
        if (next === uuid) previous.advance();
        return;
      }
      deleted.push(next);
      previous.advance();
      if (deleted.length >= partSize) await flushDeleted();
    }
  };

  let nextUrl: string | undefined = pass.nextUrl;
  // The first page is always read: a pass moves forward however little time its invocation was given.
  while (nextUrl !== undefined) {
    if (pages > pass.pages && input.timeLeftMs() < deps.reserveMs) {
      await flushListed();
      await flushDeleted();
      const checkpoint: ReconcileCheckpoint = {
        ...pass,
        nextUrl,
        previousAt: previous.position,
        ...(order.lastUuid === undefined ? {} : { lastUuid: order.lastUuid }),
        pages,
        listedParts,
        deletedParts,
      };
      await deps.store.saveReconcileCheckpoint(pimHost, checkpoint);
      await deps.queue.send([
        { pimHost, kind: 'reconcile', runId: pass.runId, deduplicationId: `${pass.runId}-${pages}` },
      ]);
      return { kind: 'continued', reason: 'time', ...totals() };
    }
    if (pages >= MAX_PASS_PAGES) {
      throw new PaginationLimitError(pimHost, `${pimHost}'s listing went on past ${MAX_PASS_PAGES} pages`);
    }
    const page = listingPage(pimHost, await pim.follow(nextUrl));
    if (page === 'catalog_disabled') {
      return { kind: 'skipped', reason: "the app's catalog is disabled in the PIM: nothing listed, nothing deleted" };
    }
    pages += 1;
    for (const item of page.items) {
      const uuid = canonicalUuid(typeof item === 'string' ? item : (item as { uuid?: unknown } | null)?.uuid);
      if (uuid === undefined) throw new UnexpectedPimAnswerError(`${pimHost} listed a product without a UUID`);
      order.accept(uuid);
      await walkPreviousTo(uuid);
      listed.push(uuid);
      if (listed.length >= partSize) await flushListed();
    }
    nextUrl = page.nextUrl === undefined ? undefined : new URL(page.nextUrl, pim.baseUrl).toString();
  }
  await walkPreviousTo();
  await flushListed();
  await flushDeleted();
  return completePass(deps, pim, pass, { listedParts, deletedParts }, totals());
}

/** A page of the listing, or the answer of a disabled catalog (HTTP 200 with an `error`: never an empty page). */
function listingPage(pimHost: string, body: unknown): ReturnType<typeof parseListPage> | 'catalog_disabled' {
  const answer = body as { _embedded?: unknown; error?: unknown } | null;
  if (answer?._embedded === undefined && typeof answer?.error === 'string') return 'catalog_disabled';
  return parseListPage(body, `${pimHost} listing page`);
}

async function completePass(
  deps: ReconcileProductsDeps,
  pim: PimClient,
  pass: ReconcileCheckpoint,
  parts: Pick<ReconcileCheckpoint, 'listedParts' | 'deletedParts'>,
  totals: PassTotals,
): Promise<ReconcileOutcome> {
  const { pimHost } = pim;
  const ref: RunRef = { pimHost, runId: pass.runId };
  const completedAt = deps.now().toISOString();
  const deletedCounts = partCounts(parts.deletedParts);
  const manifest = await deps.sink.completeReconciliation(ref, {
    pimUrl: pim.baseUrl,
    source: pass.source,
    listedCount: totals.listed,
    parts: deletedCounts.map((uuidCount, index) => ({ partNumber: index + 1, uuidCount })),
    ...(pass.previous ? { previousRunId: pass.previous.runId } : {}),
    startedAt: pass.startedAt,
    completedAt,
  });
  const event: ReconciliationCompletedDetail = {
    version: 1,
    pimHost,
    pimUrl: pim.baseUrl,
    runId: pass.runId,
    manifest,
    source: pass.source.kind,
    ...(pass.source.kind === 'catalog' ? { catalogId: pass.source.catalogId } : {}),
    counts: { listed: totals.listed, deleted: totals.deleted, parts: deletedCounts.length },
    ...(pass.previous ? { previousRunId: pass.previous.runId } : {}),
    startedAt: pass.startedAt,
    completedAt,
  };
  await deps.store.completeReconciliation(pimHost, {
    snapshot: {
      runId: pass.runId,
      startedAt: pass.startedAt,
      completedAt,
      source: pass.source,
      parts: partCount(parts.listedParts),
      uuidCount: totals.listed,
    },
    dueAt: nextReconcileDue(pass.startedAt, deps.periodHours),
    event,
  });
  await publishPassEvent(deps, pimHost, event);
  return { kind: 'completed', ...totals };
}

/** Publishes a complete pass's event, then forgets it; a failure leaves it waiting for the next `reconcile` message. */
async function publishPassEvent(
  deps: Pick<ReconcileProductsDeps, 'runEvents' | 'store'>,
  pimHost: string,
  event: ReconciliationCompletedDetail,
): Promise<void> {
  try {
    await deps.runEvents.publishReconciliationCompleted(event);
    await deps.store.clearReconciliationEvent(pimHost, event.runId);
  } catch (error) {
    throw new RunEventPendingError(pimHost, event.runId, { cause: error });
  }
}
