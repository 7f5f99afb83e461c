import { type RunCompletedDetail, runCompletedEvent } from '../functions/contract/run-completed-event';
import { asAppError, type ErrorCode, reasonOf } from '../functions/core/errors';
import type { ReconcileOutcome } from '../functions/use-cases/reconcile-products';
import type { PageEvent, RunTotals, SyncOutcome } from '../functions/use-cases/sync-products';
import type { SyncRetryEvent } from '../functions/wiring/sync-worker';
import type { LocalSyncSummary } from './sync-runner';

/** A rate is printed only once it is measured over at least this long (ms) and this many pages. */
export const RATE_WINDOW_MS = 3_000;
const RATE_MIN_PAGES = 3;
/** A progress line every this many pages (the first page included). */
const PROGRESS_EVERY_PAGES = 10;
/** Failures that the next run will meet again at the same page unless the PIM changes its answers. */
const STOPS_AGAIN: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'page_too_large',
  'pagination_loop',
  'pagination_limit',
]);

interface Progress {
  readonly firstPageAt: number;
  readonly firstPageProducts: number;
  products: number;
  reread: number;
  pages: number;
}

/**
 * What `npm run sync` prints: one line per event, each naming the PIM. Changed and re-read products (the overlap
 * with the previous run) are counted apart, rates only over a window long enough to mean something, and a failure
 * ends with what happens next.
 */
export class SyncReport {
  private readonly progress = new Map<string, Progress>();
  private readonly checkpoints = new Map<string, RunTotals>();
  private failures = 0;

  constructor(
    private readonly print: (line: string) => void,
    /** Milliseconds; tests pass their own clock. */
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a failure was reported (and said what happens next). */
  get reportedFailure(): boolean {
    return this.failures > 0;
  }

  page({ pimHost, products, reread }: PageEvent): void {
    const progress = this.progress.get(pimHost) ?? {
      firstPageAt: this.now(),
      firstPageProducts: products,
      products: 0,
      reread: 0,
      pages: 0,
    };
    progress.products += products;
    progress.reread += reread;
    progress.pages += 1;
    this.progress.set(pimHost, progress);
    if (progress.pages % PROGRESS_EVERY_PAGES !== 1) return;
    const overlap = progress.reread > 0 ? ` (${count(progress.reread)} re-read from the overlap)` : '';
    const rate = this.rate(progress);
    this.print(
      `${pimHost}: ${count(progress.products)} products read${overlap}, ${plural(progress.pages, 'page')}` +
        `${rate ? `, ${rate}` : ''}`,
    );
  }

  retry({ pimHost, status, attempt, maxRetries, delayMs, requestedMs }: SyncRetryEvent): void {
    const answer =
      status === 'network'
        ? 'the PIM did not answer (timeout or network)'
        : `the PIM answered ${status}${status === 429 ? ' (too many requests)' : ''}`;
    const asked = requestedMs === undefined ? '' : ` (it asked for ${seconds(requestedMs)}: one wait is capped)`;
    this.print(
      `${pimHost}: ${answer}; retry ${attempt} of ${maxRetries} in ${seconds(delayMs)}${asked}. Nothing lost so far.`,
    );
  }

  outcome(pimHost: string, outcome: SyncOutcome): void {
    this.print(`${pimHost}: ${this.describe(pimHost, outcome)}`);
    if (outcome.kind === 'continued') this.checkpoints.set(pimHost, outcome);
    else {
      this.checkpoints.delete(pimHost);
      this.progress.delete(pimHost);
    }
  }

  /**
   * A reconciliation pass's step: "<pim>: reconciliation <run id>: N products listed, M deleted since <previous>" once
   * complete; a paused or skipped pass says so; a refusal reads as for a sync.
   */
  pass(pimHost: string, outcome: ReconcileOutcome): void {
    switch (outcome.kind) {
      case 'completed': {
        const since =
          outcome.previousRunId === undefined
            ? 'none deleted: the first snapshot'
            : `${count(outcome.deleted)} deleted since ${outcome.previousRunId}`;
        this.print(
          `${pimHost}: reconciliation ${outcome.runId}: ${plural(outcome.listed, 'product')} listed, ${since}`,
        );
        return;
      }
      case 'continued':
        this.print(
          `${pimHost}: reconciliation ${outcome.runId} paused after ${plural(outcome.listed, 'product')} listed ` +
            "(this step's time is up): checkpoint saved, continuing",
        );
        return;
      case 'skipped':
        this.print(`${pimHost}: no reconciliation: ${outcome.reason}`);
        return;
      default:
        this.outcome(pimHost, outcome);
    }
  }

  /** A run-completed event published: the event as a rule's target receives it, on one line. */
  runEvent(detail: RunCompletedDetail): void {
    this.print(`${detail.pimHost}: event ${JSON.stringify(runCompletedEvent(detail))}`);
  }

  failure(pimHost: string, error: unknown): void {
    this.failures += 1;
    const failure = asAppError(error);
    const reason = reasonOf(failure);
    const why = reason !== '' ? reason.replace(/\.$/, '') : String(error);
    const checkpoint = this.checkpoints.get(pimHost);
    const next =
      failure.code === 'run_event_pending'
        ? 'the run is complete and the cursor moved; its event waits on the connection, and the next run publishes it first'
        : checkpoint
          ? `run ${checkpoint.runId} keeps its checkpoint after ${count(checkpoint.productCount)} products, ` +
            'and the next run resumes from it'
          : 'the cursor did not move, so the next run starts from the same point';
    const again = STOPS_AGAIN.has(failure.code) ? " Until the PIM's answers change, it stops there again." : '';
    this.print(`${pimHost}: sync failed: ${why}. Nothing lost: ${next}.${again}`);
    this.progress.delete(pimHost);
  }

  summary({ dispatched, outcomes }: Pick<LocalSyncSummary, 'dispatched' | 'outcomes'>): void {
    if (dispatched === 0) {
      this.print('No active connection to sync: connect a PIM first (npm start, then Connect in the PIM).');
      return;
    }
    const hosts = [...new Set(outcomes.map(({ pimHost }) => pimHost))];
    this.print(`Done: ${hosts.join(', ')} (${plural(outcomes.length, 'run step')}).`);
  }

  private describe(pimHost: string, outcome: SyncOutcome): string {
    switch (outcome.kind) {
      case 'completed': {
        const rate = this.rate(this.progress.get(pimHost));
        return `run ${outcome.runId} complete: ${totals(outcome)}, in ${plural(outcome.parts, 'part')}${rate ? `; ${rate}` : ''}`;
      }
      case 'continued': {
        const why =
          outcome.reason === 'time'
            ? "this run step's time is up"
            : `the PIM asked for a wait of ${seconds(outcome.waitMs)}, longer than this run step had left`;
        return `run ${outcome.runId} paused after ${count(outcome.productCount)} products (${why}): checkpoint saved, continuing`;
      }
      case 'revoked':
        return `the PIM refused the token (${outcome.reason}): ${inactive(outcome.marked, 'revoked')}`;
      case 'scope_missing':
        return `the PIM refused for lack of a scope (${outcome.reason}): ${inactive(outcome.marked, 'scope_missing')}`;
      case 'pim_url_mismatch':
        return `refused before any request, the token was not sent (${outcome.reason}): ${inactive(outcome.marked, 'pim_url_mismatch')}`;
      case 'skipped':
        return `skipped: ${outcome.reason}`;
      case 'catalog_disabled':
        return (
          `catalog_disabled: the app's catalog ${outcome.catalogId} is disabled in the PIM (${outcome.reason}); ` +
          'nothing exported, the cursor did not move, and the next sync resumes once a PIM user enables it'
        );
    }
  }

  /** Products per second after the first page, once measured over a window long enough to mean something. */
  private rate(progress: Progress | undefined): string | undefined {
    if (!progress || progress.pages < RATE_MIN_PAGES) return undefined;
    const elapsed = this.now() - progress.firstPageAt;
    if (elapsed < RATE_WINDOW_MS) return undefined;
    const perSecond = ((progress.products - progress.firstPageProducts) / elapsed) * 1000;
    return `${count(Math.round(perSecond))} products/s over ${seconds(elapsed)}`;
  }
}

function totals({ productCount, rereadCount }: RunTotals): string {
  if (rereadCount === 0) return `${count(productCount)} products`;
  return (
    `${count(productCount)} products: ${count(productCount - rereadCount)} changed, ${count(rereadCount)} ` +
    're-read from the overlap (already exported by the previous run)'
  );
}

function inactive(marked: boolean, status: string): string {
  return marked
    ? `marked ${status}; synced again once an admin reconnects (Connect or Open app in the PIM)`
    : 'left active: it was reconnected meanwhile with a new token';
}

const count = (value: number) => value.toLocaleString('en-US');
const plural = (value: number, noun: string) => `${count(value)} ${noun}${value === 1 ? '' : 's'}`;
const seconds = (ms: number) => `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;
