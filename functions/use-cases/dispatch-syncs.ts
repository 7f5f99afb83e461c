import type { ActiveConnections, SyncTimes } from '../adapters/connection-store';
import type { SyncMessage, SyncQueue } from '../adapters/sync-queue';
import { sha256Hex } from '../core/state';
import { isStale } from '../core/sync-health';
import { scheduleSlot } from '../core/sync-window';

export interface DispatchSyncsDeps {
  readonly connections: ActiveConnections;
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
  /** Active connections whose last success (or connection) is older than 3 schedule slots. */
  readonly stale?: number;
}

export type DispatchSyncs = (input: { readonly now: Date }) => Promise<DispatchSummary>;

/**
 * One message per active connection, page by page: the PIM host is the message group (one sync per PIM at a time)
 * and the deduplication id is the PIM and the schedule slot, so a repeated dispatch in the same slot sends nothing.
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
    return { slot, connections, indexPages, queueCalls, ...(deps.syncTimes ? { stale } : {}) };
  };
