import type { RunCompletedDetail } from '../../contract/run-completed-event';
import type { Connection, SyncCheckpoint } from '../../core/connection';
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

export interface CompletedRun {
  readonly runId: string;
  /** The run's start, ISO 8601: the next run reads products updated after it (less an overlap). */
  readonly cursor: string;
  readonly completedAt: string;
  readonly productCount: number;
  /** From the run's start to its end, continuations included. */
  readonly durationMs?: number;
  /** The run's event, kept on the connection (`pendingRunEvent`) in the same write until it is published. */
  readonly event?: RunCompletedDetail;
}

/** The dispatch's view: the hosts of the active connections, page by page through an index. */
export interface ActiveConnections {
  pages(): AsyncIterable<readonly string[]>;
}

/** When each connection last synced (or connected): what the dispatch's stale count needs, nothing more. */
export interface SyncTimes {
  of(
    pimHosts: readonly string[],
  ): Promise<Array<Pick<Connection, 'pimHost' | 'status' | 'lastSyncAt' | 'connectedAt'>>>;
}
