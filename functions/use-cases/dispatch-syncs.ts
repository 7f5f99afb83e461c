import type { ActiveConnections, ReconcileDueConnections, SyncTimes } from '../adapters/connection-store';
import type { SyncMessage, SyncQueue } from '../adapters/sync-queue';
import { sha256Hex } from '../core/state';
import { isStale } from '../core/sync-health';
import { scheduleSlot } from '../core/sync-window';

export interface DispatchSyncsDeps {
  readonly connections: ActiveConnections;
  /** The connections whose reconciliation pass is due; without it, no `reconcile` message is sent. */
  readonly reconcileDue?: ReconcileDueConnections;
  readonly queue: SyncQueue;
  readonly scheduleMinutes: number;
  /** When given, the active connections without a success in 3 schedule slots are counted (`stale`). */
  readonly syncTimes?: SyncTimes;
}

export interface DispatchSummary {
  readonly slot: string;
  readonly connections: number;
  readonly indexPages: number;
  readonly queueCalls: number;
  /** PIMs sent a `reconcile` message (their pass was due). */
  readonly reconcileDue: number;
  /** Active connections whose last success (or connection) is older than 3 schedule slots. */
  readonly stale?: number;
}

export type DispatchSyncs = (input: { readonly now: Date }) => Promise<DispatchSummary>;

/**
 * One message per active connection, page by page: the PIM host is the message group (one sync per PIM at a time)
 * and the deduplication id is the PIM and the schedule slot, so a repeated dispatch in the same slot sends nothing.
 * Then one `reconcile` message per connection whose reconciliation pass is due, in the same group (after its sync).
 */
export const dispatchSyncs =
  (deps: DispatchSyncsDeps): DispatchSyncs =>
  async ({ now }) => {
    const slot = scheduleSlot(now, deps.scheduleMinutes);
    let connections = 0;
    let indexPages = 0;
    let queueCalls = 0;
    let stale = 0;
    for await (const hosts of deps.connections.pages()) {
      indexPages += 1;
      connections += hosts.length;
      const messages = hosts.map(
        (pimHost): SyncMessage => ({ pimHost, kind: 'scheduled', deduplicationId: sha256Hex(`${pimHost}|${slot}`) }),
      );
      queueCalls += await deps.queue.send(messages);
      if (deps.syncTimes) {
        const times = await deps.syncTimes.of(hosts);
        stale += times.filter((item) => isStale(item, { now, scheduleMinutes: deps.scheduleMinutes })).length;
      }
    }
    const reconciliations = deps.reconcileDue ? await dispatchReconciliations(deps.reconcileDue, deps.queue, now) : 0;
    return {
      slot,
      connections,
      indexPages,
      queueCalls,
      reconcileDue: reconciliations,
      ...(deps.syncTimes ? { stale } : {}),
    };
  };

/**
 * One `reconcile` message per active connection due at `now`. Its deduplication id is the PIM and the time the pass
 * became due: one message per period however many slots see it due, until a pass completes and moves the due time.
 * Returns how many PIMs were due.
 */
export async function dispatchReconciliations(
  due: ReconcileDueConnections,
  queue: SyncQueue,
  now: Date,
): Promise<number> {
  let count = 0;
  for await (const page of due.duePages(now)) {
    count += page.length;
    await queue.send(
      page.map(
        ({ pimHost, reconcileDueAt }): SyncMessage => ({
          pimHost,
          kind: 'reconcile',
          deduplicationId: sha256Hex(`${pimHost}|reconcile|${reconcileDueAt}`),
        }),
      ),
    );
  }
  return count;
}
