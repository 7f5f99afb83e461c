import type { ActiveConnections } from '../adapters/connection-store';
import type { SyncMessage, SyncQueue } from '../adapters/sync-queue';
import { sha256Hex } from '../core/state';
import { scheduleSlot } from '../core/sync-window';

export interface DispatchSyncsDeps {
  readonly connections: ActiveConnections;
  readonly queue: SyncQueue;
  readonly scheduleMinutes: number;
}

export interface DispatchSummary {
  readonly slot: string;
  readonly connections: number;
  readonly indexPages: number;
  readonly queueCalls: number;
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
    for await (const hosts of deps.connections.pages()) {
      indexPages += 1;
      connections += hosts.length;
      const messages = hosts.map(
        (pimHost): SyncMessage => ({ pimHost, kind: 'scheduled', deduplicationId: sha256Hex(`${pimHost}|${slot}`) }),
      );
      queueCalls += await deps.queue.send(messages);
    }
    return { slot, connections, indexPages, queueCalls };
  };
