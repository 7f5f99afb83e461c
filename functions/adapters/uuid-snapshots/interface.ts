/**
 * Where a reconciliation pass keeps the UUIDs it listed, as sorted parts (`UUIDS_PER_PART` at most each), so that the
 * next pass can walk them back one part at a time: memory stays one part whatever the catalog's size. Beside the
 * exports: `<pim host key>/reconciliation/<run id>/uuids-NNNNN.txt` in the export bucket, or under the local export
 * directory. A snapshot is referenced (`Connection.lastReconciliation`) only once its pass completed.
 */
export interface UuidSnapshots {
  /** Writes part `partNumber` (1, 2, …) of the pass's snapshot; written again, it replaces what was there. */
  writePart(snapshot: SnapshotRef, partNumber: number, uuids: readonly string[]): Promise<void>;
  /** Reads part `partNumber` back, in the order written; throws if it is missing (a snapshot is never partial). */
  readPart(snapshot: SnapshotRef, partNumber: number): Promise<string[]>;
}

export interface SnapshotRef {
  readonly pimHost: string;
  readonly runId: string;
}
