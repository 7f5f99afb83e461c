import type { ReconciliationCompletedDetail } from '../../contract/reconciliation-completed-event';
import type { RunCompletedDetail } from '../../contract/run-completed-event';
import type { Connection, SyncCheckpoint } from '../../core/connection';
import type { ReconcileCheckpoint, ReconciliationSnapshot } from '../../core/reconciliation';
import type { ConnectionAccessStore } from './access-interface';

/** The sync worker's view of a connection: read it, and record progress or the end of its sync. */
export interface SyncStateStore extends ConnectionAccessStore {
  /** Saves where a stopped run resumes. Refused (`ConnectionChangedError`) if the connection is no longer active. */
  saveCheckpoint(pimHost: string, checkpoint: SyncCheckpoint): Promise<void>;
  /** A complete run: the cursor moves to the run's start, the checkpoint goes, its event waits to be published. */
  completeRun(pimHost: string, run: CompletedRun): Promise<void>;
  /** The run's event is published: forgets it, unless another run's event waits there by now. */
  clearRunEvent(pimHost: string, runId: string): Promise<void>;
}

/** The reconciliation pass's view of a connection: read it, and record a pass's progress or its end. */
export interface ReconcileStateStore extends ConnectionAccessStore {
  /** Saves where a stopped reconciliation pass resumes. Refused (`ConnectionChangedError`) unless active. */
  saveReconcileCheckpoint(pimHost: string, checkpoint: ReconcileCheckpoint): Promise<void>;
  /**
   * A complete pass: its snapshot becomes the one the next pass compares with, the next pass is due at `dueAt`, the
   * checkpoint goes, and its event waits to be published, in one write.
   */
  completeReconciliation(pimHost: string, pass: CompletedReconciliation): Promise<void>;
  /** The pass's event is published: forgets it, unless another pass's event waits there by now. */
  clearReconciliationEvent(pimHost: string, runId: string): Promise<void>;
}

export interface CompletedReconciliation {
  readonly snapshot: ReconciliationSnapshot;
  readonly dueAt: string;
  readonly event: ReconciliationCompletedDetail;
}

export interface CompletedRun {
  readonly runId: string;
  /** The run's start, ISO 8601: the next run reads products updated after it (less an overlap). */
  readonly cursor: string;
  readonly completedAt: string;
  readonly productCount: number;
  /** What the run read (`Connection.syncCursorSource`); absent: left as it is. */
  readonly cursorSource?: string;
  /** From the run's start to its end, continuations included. */
  readonly durationMs?: number;
  /** The run's event, kept on the connection (`pendingRunEvent`) in the same write until it is published. */
  readonly event?: RunCompletedDetail;
}

/** The dispatch's view: the hosts of the active connections, page by page through an index. */
export interface ActiveConnections {
  pages(): AsyncIterable<readonly string[]>;
}

/** The active connections whose next reconciliation pass is due at `now` or before, with when it was due. */
export interface ReconcileDueConnections {
  duePages(now: Date): AsyncIterable<ReadonlyArray<{ readonly pimHost: string; readonly reconcileDueAt: string }>>;
}

/** When each connection last synced (or connected): what the dispatch's stale count needs, nothing more. */
export interface SyncTimes {
  of(
    pimHosts: readonly string[],
  ): Promise<Array<Pick<Connection, 'pimHost' | 'status' | 'lastSyncAt' | 'connectedAt'>>>;
}
