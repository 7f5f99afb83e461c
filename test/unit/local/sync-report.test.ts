import type { RunCompletedDetail } from '../../../functions/contract/run-completed-event';
import { PimUnavailableError } from '../../../functions/core/errors';
import { PaginationLoopError, RunEventPendingError } from '../../../functions/core/sync-errors';
import { RATE_WINDOW_MS, SyncReport } from '../../../local/sync-report';

const HOST = 'localhost:3001';

function reportWithClock() {
  const lines: string[] = [];
  let now = 1_000_000;
  const report = new SyncReport(
    (line) => lines.push(line),
    () => now,
  );
  return { report, lines, advance: (ms: number) => (now += ms) };
}

const page = (partNumber: number, reread = 0) => ({ pimHost: HOST, partNumber, products: 100, reread });

describe('SyncReport: what npm run sync prints', () => {
  it('shows no rate until it is measured over a few seconds and pages, then the rate after the first page', () => {
    const { report, lines, advance } = reportWithClock();

    report.page(page(1));
    for (let part = 2; part <= 11; part += 1) {
      advance(50);
      report.page(page(part));
    }
    for (let part = 12; part <= 21; part += 1) {
      advance(RATE_WINDOW_MS / 10);
      report.page(page(part));
    }

    expect(lines).toEqual([
      `${HOST}: 100 products read, 1 page`,
      `${HOST}: 1,100 products read, 11 pages`,
      // 2,000 products after the first page, in 0.5 s + 3 s.
      `${HOST}: 2,100 products read, 21 pages, 571 products/s over 3.5 s`,
    ]);
  });

  it('counts the products re-read from the overlap apart from the changed ones', () => {
    const { report, lines } = reportWithClock();

    report.page(page(1, 40));
    report.outcome(HOST, { kind: 'completed', runId: 'r1', productCount: 100, rereadCount: 40, parts: 1 });
    report.outcome(HOST, { kind: 'completed', runId: 'r2', productCount: 250, rereadCount: 0, parts: 3 });

    expect(lines).toEqual([
      `${HOST}: 100 products read (40 re-read from the overlap), 1 page`,
      `${HOST}: run r1 complete: 100 products: 60 changed, 40 re-read from the overlap (already exported by the previous run), in 1 part`,
      `${HOST}: run r2 complete: 250 products, in 3 parts`,
    ]);
  });

  it('names the PIM, the answer, the retry and the wait on a retry line, and what the PIM asked for when capped', () => {
    const { report, lines } = reportWithClock();

    report.retry({ pimHost: HOST, status: 429, attempt: 2, maxRetries: 8, delayMs: 60_000, requestedMs: 3_600_000 });
    report.retry({ pimHost: HOST, status: 'network', attempt: 1, maxRetries: 4, delayMs: 750 });

    expect(lines).toEqual([
      `${HOST}: the PIM answered 429 (too many requests); retry 2 of 8 in 60 s (it asked for 3,600 s: one wait is capped). Nothing lost so far.`,
      `${HOST}: the PIM did not answer (timeout or network); retry 1 of 4 in 0.8 s. Nothing lost so far.`,
    ]);
  });

  it('ends a failure with what happens next: from the cursor, or from the checkpoint this process saw saved', () => {
    const { report, lines } = reportWithClock();
    const unavailable = new PimUnavailableError('The PIM kept failing (503) after 4 retries');

    report.failure(HOST, unavailable);
    report.outcome(HOST, {
      kind: 'continued',
      runId: 'r1',
      productCount: 3_000,
      rereadCount: 0,
      parts: 30,
      reason: 'time',
    });
    report.failure(HOST, unavailable);
    report.failure(HOST, new PaginationLoopError(HOST, `${HOST} sent a next-page link to a page already read`));

    expect(lines).toEqual([
      `${HOST}: sync failed: The PIM kept failing (503) after 4 retries. Nothing lost: the cursor did not move, so the next run starts from the same point.`,
      `${HOST}: run r1 paused after 3,000 products (this run step's time is up): checkpoint saved, continuing`,
      `${HOST}: sync failed: The PIM kept failing (503) after 4 retries. Nothing lost: run r1 keeps its checkpoint after 3,000 products, and the next run resumes from it.`,
      `${HOST}: sync failed: ${HOST} sent a next-page link to a page already read. Nothing lost: run r1 keeps its checkpoint after 3,000 products, and the next run resumes from it. Until the PIM's answers change, it stops there again.`,
    ]);
    expect(report.reportedFailure).toBe(true);
  });

  it('ends a failure after the run completed with what happens to its event: the cursor moved, nothing is read again', () => {
    const { report, lines } = reportWithClock();

    report.failure(
      HOST,
      new RunEventPendingError(HOST, 'r2', { cause: new Error('EventBridge refused it 3 times: InternalFailure') }),
    );

    expect(lines).toEqual([
      `${HOST}: sync failed: Run r2 of ${HOST} is complete, but its run-completed event is still to be published: EventBridge refused it 3 times: InternalFailure. Nothing lost: the run is complete and the cursor moved; its event waits on the connection, and the next run publishes it first.`,
    ]);
  });

  it('prints each published run-completed event on one line, as a rule target receives it', () => {
    const { report, lines } = reportWithClock();
    const detail: RunCompletedDetail = {
      version: 1,
      pimHost: HOST,
      pimUrl: `http://${HOST}`,
      runId: 'r3',
      manifest: { path: '/data/exports/localhost_3001/products/r3/manifest.json', uri: 'file:///data/m.json' },
      counts: { products: 15, changed: 5, reread: 10, parts: 1 },
      window: { from: '2026-11-28T11:44:55.000Z', to: '2026-11-28T12:00:00.000Z' },
      startedAt: '2026-11-28T12:00:00.000Z',
      completedAt: '2026-11-28T12:00:09.000Z',
    };

    report.runEvent(detail);

    expect(lines).toEqual([
      `${HOST}: event ${JSON.stringify({ source: 'akeneo-custom-app', 'detail-type': 'Sync Run Completed', time: detail.completedAt, detail })}`,
    ]);
  });

  it('says what each other outcome means for the connection', () => {
    const { report, lines } = reportWithClock();

    report.outcome(HOST, {
      kind: 'continued',
      runId: 'r',
      productCount: 200,
      rereadCount: 0,
      parts: 2,
      reason: 'rate-limited',
      waitMs: 60_000,
    });
    report.outcome(HOST, { kind: 'revoked', reason: 'The app was disconnected.', marked: true });
    report.outcome(HOST, { kind: 'scope_missing', reason: 'Access forbidden.', marked: false });
    report.outcome(HOST, { kind: 'pim_url_mismatch', reason: 'The stored URL names another host', marked: true });
    report.outcome(HOST, { kind: 'skipped', reason: 'the connection is revoked' });
    report.summary({ dispatched: 1, outcomes: [{ pimHost: HOST, outcome: { kind: 'skipped', reason: 'x' } }] });
    report.summary({ dispatched: 0, outcomes: [] });

    expect(lines).toEqual([
      `${HOST}: run r paused after 200 products (the PIM asked for a wait of 60 s, longer than this run step had left): checkpoint saved, continuing`,
      `${HOST}: the PIM refused the token (The app was disconnected.): marked revoked; synced again once an admin reconnects (Connect or Open app in the PIM)`,
      `${HOST}: the PIM refused for lack of a scope (Access forbidden.): left active: it was reconnected meanwhile with a new token`,
      `${HOST}: refused before any request, the token was not sent (The stored URL names another host): marked pim_url_mismatch; synced again once an admin reconnects (Connect or Open app in the PIM)`,
      `${HOST}: skipped: the connection is revoked`,
      `Done: ${HOST} (1 run step).`,
      'No active connection to sync: connect a PIM first (npm start, then Connect in the PIM).',
    ]);
    expect(report.reportedFailure).toBe(false);
  });

  it('prints one line per reconciliation pass: products listed, and how many were deleted since which pass', () => {
    const { report, lines } = reportWithClock();

    report.pass(HOST, { kind: 'completed', runId: 'p1', listed: 1, deleted: 0 });
    report.pass(HOST, { kind: 'continued', reason: 'time', runId: 'p2', listed: 10_000, deleted: 3 });
    report.pass(HOST, { kind: 'completed', runId: 'p2', listed: 12_345, deleted: 2, previousRunId: 'p1' });
    report.pass(HOST, { kind: 'skipped', reason: 'no reconciliation pass is due' });

    expect(lines).toEqual([
      `${HOST}: reconciliation p1: 1 product listed, none deleted: the first snapshot`,
      `${HOST}: reconciliation p2 paused after 10,000 products listed (this step's time is up): checkpoint saved, continuing`,
      `${HOST}: reconciliation p2: 12,345 products listed, 2 deleted since p1`,
      `${HOST}: no reconciliation: no reconciliation pass is due`,
    ]);
  });
});
