import type { CatalogSetupStore, CatalogSyncStore, SyncStateStore } from '../adapters/connection-store';
import type { ProductSink, RunRef } from '../adapters/product-sink';
import type { RunEvents } from '../adapters/run-events';
import type { SyncQueue } from '../adapters/sync-queue';
import { catalogProductsUrl, parseCatalogProductPageText } from '../akeneo/catalogs';
import { type ProductPage, parseProductPageText, productsUrl } from '../akeneo/products';
import { CatalogDisabledError, PimNotFoundError, RetryBeyondTimeLeftError } from '../akeneo/rest-errors';
import { runCompletedDetail } from '../contract/run-completed-event';
import { type Connection, catalogSourceKey, PRODUCTS_SOURCE_KEY, type SyncCheckpoint } from '../core/connection';
import { PimUnavailableError } from '../core/errors';
import { RunLedger, type RunLimits } from '../core/sync-run';
import { newRunId, rereadCount, type SyncWindow, syncWindow } from '../core/sync-window';
import type { PimAccess, PimAccessRefusal, PimClient } from '../pim-access';
import { ensureCatalog } from './ensure-catalog';
import {
  catalogSplitSource,
  type FirstSyncSplit,
  planFirstSync,
  productsSplitSource,
  type SplitSource,
} from './plan-first-sync';
import { publishRunEvent } from './publish-run-event';
import { type PageRead, readPage } from './read-page';
import { type PageAlreadyRead, type RangeWalkEnd, walkRanges } from './walk-ranges';

export interface SyncProductsDeps {
  /**
   * The entry point to the PIMs: reads the connection, decrypts its token for the PIM it is sealed to, and marks the
   * connection on a 401, a 403 or a stored URL that names another host.
   */
  readonly pims: Pick<PimAccess, 'withPim'>;
  /** Where a run's progress and its end are recorded. */
  readonly store: Pick<SyncStateStore, 'get' | 'saveCheckpoint' | 'completeRun' | 'clearRunEvent'>;
  readonly sink: ProductSink;
  readonly queue: SyncQueue;
  /** Told of each completed run, once its cursor moved. */
  readonly runEvents: RunEvents;
  readonly overlapSeconds: number;
  /** How far one run may go before its PIM's pagination is taken for broken. @default DEFAULT_RUN_LIMITS */
  readonly limits?: RunLimits;
  /** Time kept for the last write, the checkpoint and the continuation message once the run must stop. */
  readonly reserveMs: number;
  readonly now: () => Date;
  readonly randomBytes: (size: number) => Uint8Array;
  readonly onPage?: (event: PageEvent) => void;
  /** The catalog product source: the sync reads the app's catalog in each PIM. Absent: every product. */
  readonly catalog?: CatalogSourceDeps;
  /**
   * A first sync is split into date ranges walked side by side (see `planFirstSync`): `created` for every product,
   * `updated` for the app's catalog. Absent: one cursor, as for every other run.
   */
  readonly firstSyncSplit?: FirstSyncSplit;
}

export interface CatalogSourceDeps {
  /** The catalog's name: how the app finds it again, or names the one it creates. */
  readonly name: string;
  readonly store: CatalogSetupStore & CatalogSyncStore;
  /** The longest one call to the PIM may take, and the most finding or creating the catalog may take. */
  readonly callTimeoutMs: number;
  readonly setupTimeoutMs: number;
  /** Told of a catalog deleted in the PIM and replaced by a new one (a log line at warn). */
  readonly onRecreated?: (event: CatalogRecreated) => void;
}

export interface CatalogRecreated {
  readonly pimHost: string;
  readonly previousId: string;
  readonly catalogId: string;
  readonly at: string;
}

/** A part written: `products` read from one page, of which `reread` the previous run had already exported. */
export interface PageEvent {
  readonly pimHost: string;
  readonly partNumber: number;
  readonly products: number;
  readonly reread: number;
}

export interface SyncProductsInput {
  readonly pimHost: string;
  /** Set for a continuation: only this run is resumed. */
  readonly runId?: string;
  /** How long the process may still run (Lambda's remaining time). */
  readonly timeLeftMs: () => number;
}

/** A run's products so far: `productCount` includes the `rereadCount` products the overlap read again. */
export interface RunTotals {
  readonly runId: string;
  readonly productCount: number;
  readonly rereadCount: number;
  readonly parts: number;
}

export type SyncOutcome =
  | ({ readonly kind: 'completed' } & RunTotals)
  | ({ readonly kind: 'continued' } & RunTotals & ContinueReason)
  | {
      readonly kind: 'revoked' | 'scope_missing' | 'pim_url_mismatch';
      readonly reason: string;
      /** Whether the connection was marked with that status (not when a reconnect replaced the token meanwhile). */
      readonly marked: boolean;
    }
  | { readonly kind: 'skipped'; readonly reason: string }
  /**
   * The app's catalog answered that it is disabled: nothing more was read, no manifest written, the cursor did not
   * move; the connection's `syncStatus` says `catalog_disabled` until a run reads the catalog again.
   */
  | { readonly kind: 'catalog_disabled'; readonly catalogId: string; readonly reason: string };

/** Why a run saved a checkpoint and queued its continuation. */
export type ContinueReason =
  /** The invocation's time ran low. */
  | { readonly reason: 'time' }
  /** The PIM asked for a wait (429 or a backoff) longer than the time left: the next invocation makes it. */
  | { readonly reason: 'rate-limited'; readonly waitMs: number };

/** Why a PIM was not synced (or reconciled): a refused connection, or nothing to do. */
export type RefusedOutcome = Exclude<SyncOutcome, { readonly kind: 'completed' | 'continued' }>;

export type SyncProducts = (input: SyncProductsInput) => Promise<SyncOutcome>;

/**
 * Pulls the products updated since the connection's cursor into the sink, page by page: each page is written while
 * the next one is read. The cursor moves only once every page is in the sink; when time runs low, a checkpoint and
 * a continuation message carry the run into another invocation.
 */
export const syncProducts =
  (deps: SyncProductsDeps): SyncProducts =>
  async (input) => {
    const connection = await deps.store.get(input.pimHost);
    // A complete run whose event a stopped step left waiting: published first, whatever this message is.
    if (connection?.pendingRunEvent) await publishRunEvent(deps, connection.pimHost, connection.pendingRunEvent);
    const outcome = await deps.pims.withPim(connection ?? input.pimHost, (pim) => syncWith(deps, input, pim), {
      waitBudgetMs: () => input.timeLeftMs() - deps.reserveMs,
      // A checkpoint's next page must lead to the PIM too, like the stored URL.
      storedLinks: (stored) =>
        stored.syncCheckpoint ? [stored.syncCheckpoint.nextUrl, ...(stored.syncCheckpoint.rangeLinks ?? [])] : [],
    });
    return outcome.status === 'done' ? outcome.value : refusedOutcome(outcome);
  };

/** The run on a ready client: a new one from the cursor, or the one the continuation names. */
async function syncWith(deps: SyncProductsDeps, input: SyncProductsInput, pim: PimClient): Promise<SyncOutcome> {
  if (deps.catalog !== undefined) return syncCatalog(deps, deps.catalog, input, pim);
  const { connection } = pim;
  const checkpoint = checkpointOf(connection, PRODUCTS_SOURCE_KEY);
  if (input.runId !== undefined && checkpoint?.runId !== input.runId) {
    return { kind: 'skipped', reason: 'the run to continue has already ended' };
  }
  if (checkpoint?.rangeLinks !== undefined) return readRanges(deps, input, pim, checkpoint, checkpoint.rangeLinks);
  const run =
    checkpoint ?? startRun(deps, connection, PRODUCTS_SOURCE_KEY, (window) => productsUrl(pim.baseUrl, window.from));
  // Only a first sync is split: `created` ranges cannot hold an incremental run's `updated` condition.
  if (checkpoint !== undefined || run.window.from !== undefined || deps.firstSyncSplit === undefined) {
    return readPages(deps, input, pim, run);
  }
  return readPlanned(deps, input, pim, run, deps.firstSyncSplit, productsSplitSource(pim.baseUrl));
}

/** A first sync: planned (`planFirstSync`), then walked by ranges side by side, or by one cursor. */
async function readPlanned(
  deps: SyncProductsDeps,
  input: SyncProductsInput,
  pim: PimClient,
  run: SyncCheckpoint,
  split: FirstSyncSplit,
  source: SplitSource,
  catalogId?: string,
): Promise<SyncOutcome> {
  const plan = await planFirstSync(pim, split, source);
  if (plan.kind === 'split') {
    return readRanges(deps, input, pim, { ...run, rangeLinks: plan.links }, plan.links, catalogId, plan.firstPage);
  }
  return readPages(deps, input, pim, run, catalogId, plan.first?.url === run.nextUrl ? plan.first : undefined);
}

/**
 * A first sync split into date ranges (`created` for every product, `updated` for a catalog's): every range is walked
 * side by side; a continuation resumes each range that had not reached its end. The run then completes as a
 * single-cursor run does; a disabled catalog ends it as it ends a single walk.
 */
async function readRanges(
  deps: SyncProductsDeps,
  input: SyncProductsInput,
  pim: PimClient,
  run: SyncCheckpoint,
  links: readonly string[],
  catalogId?: string,
  /** The page the plan read, which the ranges start after. */
  firstPage?: PageAlreadyRead,
): Promise<SyncOutcome> {
  const { pimHost } = pim;
  const ref: RunRef = { pimHost, runId: run.runId };
  const ledger = new RunLedger(pimHost, run, deps.limits);
  let end: RangeWalkEnd;
  try {
    end = await walkRanges({
      pim,
      ledger,
      links,
      ...(firstPage ? { firstPage } : {}),
      parse: catalogId === undefined ? parseProductPageText : parseCatalogProductPageText,
      enoughTime: () => input.timeLeftMs() >= deps.reserveMs,
      writePart: (partNumber, products) => {
        const writing = deps.sink.writePart(ref, partNumber, products);
        deps.onPage?.({ pimHost, partNumber, products: products.length, reread: 0 });
        return writing;
      },
    });
  } catch (error) {
    // The walk has waited for the parts being written: nothing is left half done.
    if (error instanceof CatalogDisabledError && catalogId !== undefined) {
      return catalogDisabled(deps, pimHost, catalogId, error);
    }
    throw error;
  }
  if (catalogId !== undefined && ledger.pages > 0) await noteServing(deps, pim.connection, catalogId);
  if (end.kind === 'done') return completeRun(deps, pim, run, ledger);
  const [nextUrl = run.nextUrl] = end.openLinks;
  await deps.store.saveCheckpoint(pimHost, { ...ledger.checkpoint(nextUrl), rangeLinks: end.openLinks });
  await deps.queue.send([
    { pimHost, kind: 'continuation', runId: run.runId, deduplicationId: `${run.runId}-${ledger.pages}` },
  ]);
  return { kind: 'continued', ...totalsOf(run, ledger), ...end.why };
}

function totalsOf(run: SyncCheckpoint, ledger: RunLedger): RunTotals {
  return {
    runId: run.runId,
    productCount: ledger.productCount,
    rereadCount: ledger.rereadCount,
    parts: ledger.parts,
  };
}

/**
 * The catalog source: the products of the app's catalog in the PIM. A connection without one (its callback could not
 * finish the step) gets it first; a catalog the PIM deleted (404) is re-created, reported, and read afresh.
 */
async function syncCatalog(
  deps: SyncProductsDeps,
  catalog: CatalogSourceDeps,
  input: SyncProductsInput,
  pim: PimClient,
): Promise<SyncOutcome> {
  const { connection } = pim;
  const catalogId = connection.catalogId ?? (await catalogOf(deps, catalog, pim, connection));
  if (typeof catalogId !== 'string') return catalogId;
  const checkpoint = checkpointOf(connection, catalogSourceKey(catalogId));
  if (input.runId !== undefined && checkpoint?.runId !== input.runId) {
    return { kind: 'skipped', reason: 'the run to continue has already ended' };
  }
  const read = (id: string, resumed?: SyncCheckpoint): Promise<SyncOutcome> => {
    if (resumed?.rangeLinks !== undefined) return readRanges(deps, input, pim, resumed, resumed.rangeLinks, id);
    if (resumed !== undefined) return readPages(deps, input, pim, resumed, id);
    const run = startRun(deps, connection, catalogSourceKey(id), (window) =>
      catalogProductsUrl(pim.baseUrl, id, window),
    );
    // Only a first sync is split, as for every product: an incremental run's delta is usually a page or two, and
    // the count asked beside a split's first page would be one more call every run.
    const split = deps.firstSyncSplit;
    if (split === undefined || run.window.from !== undefined) return readPages(deps, input, pim, run, id);
    return readPlanned(deps, input, pim, run, split, catalogSplitSource(pim.baseUrl, id, run.window), id);
  };
  try {
    return await read(catalogId, checkpoint);
  } catch (error) {
    if (!(error instanceof PimNotFoundError)) throw error;
    // The catalog is gone from the PIM: its replacement is read from the start (its own first sync).
    const replacement = await catalogOf(deps, catalog, pim, { ...connection, catalogId });
    if (typeof replacement !== 'string') return replacement;
    return read(replacement);
  }
}

/** The app's catalog, found or created (`ensureCatalog`): its id, or why the run cannot read it now. */
async function catalogOf(
  deps: SyncProductsDeps,
  catalog: CatalogSourceDeps,
  pim: PimClient,
  connection: Connection,
): Promise<string | SyncOutcome> {
  const ensured = await ensureCatalog(
    { store: catalog.store, catalogName: catalog.name, now: deps.now, randomBytes: deps.randomBytes },
    pim,
    {
      connection,
      deadline: deps.now().getTime() + catalog.setupTimeoutMs,
      callTimeoutMs: catalog.callTimeoutMs,
    },
  );
  if (ensured.kind === 'unfinished') return { kind: 'skipped', reason: `the app's catalog: ${ensured.reason}` };
  if (ensured.replaced) {
    catalog.onRecreated?.({
      pimHost: pim.pimHost,
      previousId: ensured.replaced.previousId,
      catalogId: ensured.catalog.id,
      at: ensured.replaced.at,
    });
  }
  return ensured.catalog.id;
}

/** The connection's checkpoint, if it belongs to a run of this source (another source's run starts afresh). */
function checkpointOf(connection: Connection, source: string): SyncCheckpoint | undefined {
  const checkpoint = connection.syncCheckpoint;
  return (checkpoint?.source ?? PRODUCTS_SOURCE_KEY) === source ? checkpoint : undefined;
}

/**
 * A PIM that cannot be synced: skipped when it was already so when read; otherwise this run met the refusal and the
 * entry point marked the connection (SQS retries would meet the same answer), so it is no longer dispatched.
 */
export function refusedOutcome(refusal: PimAccessRefusal): RefusedOutcome {
  if (refusal.status === 'not_connected') return { kind: 'skipped', reason: 'no connection for this PIM' };
  if (refusal.marked === undefined) return { kind: 'skipped', reason: `the connection is ${refusal.status}` };
  return { kind: refusal.status, reason: refusal.reason, marked: refusal.marked };
}

function startRun(
  deps: SyncProductsDeps,
  connection: Connection,
  source: string,
  firstUrl: (window: SyncWindow) => string,
): SyncCheckpoint {
  const startedAt = deps.now();
  // A cursor read from another source is no cursor for this one: its first sync reads everything.
  const cursor = (connection.syncCursorSource ?? PRODUCTS_SOURCE_KEY) === source ? connection.syncCursor : undefined;
  const window = syncWindow(cursor, startedAt, deps.overlapSeconds);
  return {
    runId: newRunId(startedAt, deps.randomBytes),
    startedAt: startedAt.toISOString(),
    window,
    nextUrl: firstUrl(window),
    ...(cursor === undefined ? {} : { rereadBefore: cursor }),
    ...(source === PRODUCTS_SOURCE_KEY ? {} : { source }),
  };
}

async function readPages(
  deps: SyncProductsDeps,
  input: SyncProductsInput,
  pim: PimClient,
  run: SyncCheckpoint,
  catalogId?: string,
  /** The run's first page, already asked for (at `run.nextUrl`). */
  first?: PageRead,
): Promise<SyncOutcome> {
  const { pimHost } = pim;
  const parse = catalogId === undefined ? parseProductPageText : parseCatalogProductPageText;
  const ref: RunRef = { pimHost, runId: run.runId };
  const ledger = new RunLedger(pimHost, run, deps.limits);
  const enoughTime = () => input.timeLeftMs() >= deps.reserveMs;
  const totals = (): RunTotals => totalsOf(run, ledger);
  let writing: Promise<void> = Promise.resolve();
  let pagesRead = 0;
  const continueLater = async (nextUrl: string, why: ContinueReason): Promise<SyncOutcome> => {
    await writing;
    await deps.store.saveCheckpoint(pimHost, ledger.checkpoint(nextUrl));
    await deps.queue.send([
      { pimHost, kind: 'continuation', runId: run.runId, deduplicationId: `${run.runId}-${ledger.pages}` },
    ]);
    return { kind: 'continued', ...totals(), ...why };
  };
  /** A failure ends this step only once the part being written is in the sink: never half a part. */
  const failAfterWriting = async (error: unknown): Promise<never> => {
    await writing.catch(() => undefined);
    throw error;
  };

  // The first page is always read: a run moves forward however little time its invocation was given.
  ledger.checkNext(run.nextUrl);
  let current: PageRead | undefined = first ?? readPage(pim, run.nextUrl, parse);

  while (current !== undefined) {
    const reading: PageRead = current;
    // The next page is asked for as soon as its link is known, most often from the first bytes of this answer:
    // the PIM's round trip is the bound, not the transfer of this page, its parsing or its upload.
    let ahead: PageRead | undefined;
    const early = reading.nextUrl.then((url) => {
      if (url !== undefined && url !== reading.url && enoughTime() && ledger.mayRead(url))
        ahead = readPage(pim, url, parse);
    });
    let page: ProductPage;
    let partNumber: number | undefined;
    let reread = 0;
    try {
      page = await reading.page;
      reread = rereadCount(page.items, run.rereadBefore);
      partNumber = ledger.pageRead(reading.url, page.items.length, reread);
      if (page.nextUrl !== undefined) ledger.checkNext(page.nextUrl);
    } catch (error) {
      if (error instanceof CatalogDisabledError && catalogId !== undefined) {
        return catalogDisabled(deps, pimHost, catalogId, error, writing);
      }
      if (!(error instanceof RetryBeyondTimeLeftError)) return failAfterWriting(error);
      // A fresh invocation can afford any one (capped) wait; one that read nothing yet has spent its time waiting.
      if (pagesRead === 0) {
        throw new PimUnavailableError(
          `${pimHost} asked for a wait of ${Math.ceil(error.waitMs / 1000)} s (${error.status}), ` +
            'longer than this run step had left, before any page was read',
          { cause: error },
        );
      }
      return await continueLater(reading.url, { reason: 'rate-limited', waitMs: error.waitMs });
    }
    if (pagesRead === 0 && catalogId !== undefined) await noteServing(deps, pim.connection, catalogId);
    pagesRead += 1;
    await early;
    if (ahead !== undefined && ahead.url !== page.nextUrl) {
      ahead = undefined;
    }
    if (ahead === undefined && page.nextUrl !== undefined && enoughTime()) {
      ahead = readPage(pim, page.nextUrl, parse);
      // Let the request reach the socket before this page's serialising and upload take the event loop.
      await new Promise((resolve) => setImmediate(resolve));
    }
    current = ahead;
    await writing;
    if (partNumber !== undefined) {
      writing = deps.sink.writePart(ref, partNumber, page.items);
      writing.catch(() => undefined);
      deps.onPage?.({ pimHost, partNumber, products: page.items.length, reread });
    }
    if (page.nextUrl !== undefined && current === undefined) {
      return await continueLater(page.nextUrl, { reason: 'time' });
    }
  }
  await writing;
  return completeRun(deps, pim, run, ledger);
}

/** Every part is in the sink: the manifest, then the cursor moves to the run's start, then the run's event. */
async function completeRun(
  deps: SyncProductsDeps,
  pim: PimClient,
  run: SyncCheckpoint,
  ledger: RunLedger,
): Promise<SyncOutcome> {
  const { pimHost } = pim;
  const ref: RunRef = { pimHost, runId: run.runId };
  const completedAt = deps.now().toISOString();
  const summary = {
    pimUrl: pim.baseUrl,
    window: run.window,
    parts: ledger.partCounts().map((productCount, index) => ({ partNumber: index + 1, productCount })),
    rereadCount: ledger.rereadCount,
    startedAt: run.startedAt,
    completedAt,
  };
  const manifest = await deps.sink.completeRun(ref, summary);
  const event = runCompletedDetail({ ...ref, ...summary, partProductCounts: ledger.partCounts() }, manifest);
  await deps.store.completeRun(pimHost, {
    runId: run.runId,
    cursor: run.window.to,
    completedAt,
    durationMs: Math.max(0, Date.parse(completedAt) - Date.parse(run.startedAt)),
    productCount: ledger.productCount,
    event,
    ...(run.source === undefined ? {} : { cursorSource: run.source }),
  });
  await publishRunEvent(deps, pimHost, event);
  return { kind: 'completed', ...totalsOf(run, ledger) };
}

/**
 * A disabled catalog: the connection's sync status says so (its status stays active, so the dispatch keeps trying),
 * any checkpoint goes, and the run ends without a manifest or a cursor move, once the part being written is in.
 */
async function catalogDisabled(
  deps: SyncProductsDeps,
  pimHost: string,
  catalogId: string,
  error: CatalogDisabledError,
  /** The part still being written, if any: the run ends once it is in. */
  writing?: Promise<void>,
): Promise<SyncOutcome> {
  await writing?.catch(() => undefined);
  await deps.catalog?.store.markCatalogDisabled(pimHost, {
    catalogId,
    reason: error.reason,
    at: deps.now().toISOString(),
  });
  return { kind: 'catalog_disabled', catalogId, reason: error.reason };
}

/** The catalog served a page: enabled, and a `catalog_disabled` left by an earlier run is cleared. */
async function noteServing(deps: SyncProductsDeps, connection: Connection, catalogId: string): Promise<void> {
  const known = connection.catalogEnabled === true && connection.syncStatus === undefined;
  if (known && connection.catalogId === catalogId) return;
  await deps.catalog?.store.noteCatalogServing(connection.pimHost, { catalogId, at: deps.now().toISOString() });
}
