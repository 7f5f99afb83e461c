/**
 * Where reconciliation snapshots live in the export bucket: `<pim host key>/reconciliation/<run id>/uuids-NNNNN.txt`.
 * Shared with the stack, which lets the worker read back objects under this folder only.
 */
export const SNAPSHOT_FOLDER = 'reconciliation';
