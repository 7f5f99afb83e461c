/**
 * The DynamoDB tables of the app, as the stack creates them on AWS and the local run creates them on its database:
 * keys, time to live and indexes. Every key attribute is a string.
 */

export interface TableIndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** Keys only: whoever needs more reads the item by its key. */
  readonly projection: 'KEYS_ONLY';
}

export interface TableDefinition {
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** Epoch seconds after which DynamoDB deletes the item (lazily: readers treat an expired item as absent). */
  readonly timeToLiveAttribute?: string;
  readonly indexes: readonly TableIndexDefinition[];
}

/** Authorization states, keyed by the hash of the state value; they expire through `expiresAt`. */
export const STATES_TABLE = {
  partitionKey: 'stateHash',
  timeToLiveAttribute: 'expiresAt',
  indexes: [],
} as const satisfies TableDefinition;

/** Connections by status, then PIM host: the sync dispatch queries `status = 'active'` page by page. */
export const CONNECTIONS_STATUS_INDEX = {
  name: 'status-index',
  partitionKey: 'status',
  sortKey: 'pimHost',
  projection: 'KEYS_ONLY',
} as const satisfies TableIndexDefinition;

/**
 * Connections by status, then when their next reconciliation pass is due (`reconcileDueAt`, ISO 8601): the dispatch
 * queries `status = 'active' AND reconcileDueAt <= now`, and finds only the PIMs due. Sparse: a connection enters it
 * once its first sync completes.
 */
export const CONNECTIONS_RECONCILE_INDEX = {
  name: 'reconcile-due-index',
  partitionKey: 'status',
  sortKey: 'reconcileDueAt',
  projection: 'KEYS_ONLY',
} as const satisfies TableIndexDefinition;

/** One connection per PIM host: status, encrypted token, who connected, sync cursor and checkpoint. */
export const CONNECTIONS_TABLE = {
  partitionKey: 'pimHost',
  indexes: [CONNECTIONS_STATUS_INDEX, CONNECTIONS_RECONCILE_INDEX],
} as const satisfies TableDefinition;

/**
 * The leases of each PIM's call slots (functions/core/fair-use.ts): one item per PIM host and slot number (`0` to
 * `3`), with its owner, ending at `expiresAt`; the time to live removes the leases of instances that never freed them.
 */
export const CALL_SLOTS_TABLE = {
  partitionKey: 'pimHost',
  sortKey: 'slot',
  timeToLiveAttribute: 'expiresAt',
  indexes: [],
} as const satisfies TableDefinition;

/** Every attribute a key of the table or of one of its indexes uses, once each. */
export function keyAttributes(table: TableDefinition): string[] {
  const names = [
    table.partitionKey,
    table.sortKey ?? [],
    ...table.indexes.flatMap((index) => [index.partitionKey, index.sortKey ?? []]),
  ];
  return [...new Set(names.flat())];
}
