import type { EventPlatformSubscription } from '../contract/event-platform';
import type { ReconciliationCompletedDetail } from '../contract/reconciliation-completed-event';
import type { RunCompletedDetail } from '../contract/run-completed-event';
import { withoutControlCharacters } from './plain-text';
import type { ReconcileCheckpoint, ReconciliationSnapshot } from './reconciliation';
import { sha256Hex } from './state';

/**
 * `active`: synced on schedule. `revoked`: the PIM answered 401 (app disconnected, or token replaced); synced again
 * only after a reconnect. `scope_missing`: the PIM answered 403 (a needed scope is not granted); synced again after
 * a reconnect with the scope. `pim_url_mismatch`: the stored PIM URL would have sent the token elsewhere than the
 * PIM it was issued for (the row was changed behind the callback's back); nothing was sent, and a reconnect writes
 * the PIM's own URL back.
 */
export type ConnectionStatus = 'active' | 'revoked' | 'scope_missing' | 'pim_url_mismatch';

/** Beside an active status: `catalog_disabled`, the app's catalog is disabled in the PIM (nothing to read). */
export type SyncStatus = 'catalog_disabled';

/** Held on the connection while a request finds or creates the catalog; anyone may take it once it has ended. */
export interface CatalogSetupLease {
  readonly owner: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** The key of what a cursor or a checkpoint was read from (see `Connection.syncCursorSource`). */
export function catalogSourceKey(catalogId: string): string {
  return `catalog:${catalogId}`;
}
export const PRODUCTS_SOURCE_KEY = 'products';

/** Who clicked through the PIM's consent, from the verified OpenID token. */
export interface ConnectedBy {
  /** Akeneo's pairwise user id: stable for this user and this app. */
  readonly sub: string;
  readonly email?: string;
  readonly name?: string;
}

/** One connected PIM, as stored (one item per PIM host). The token is only ever held encrypted. */
export interface Connection {
  readonly pimHost: string;
  readonly pimUrl: string;
  readonly status: ConnectionStatus;
  /**
   * Absent once the connection is revoked (a 401, or the app removed from the PIM): the token is deleted with the
   * data key its ciphertext holds (crypto-shredding); a reconnect writes a new one.
   */
  readonly encryptedToken?: string;
  /** Changes exactly when the access token changes; a conditional write on it never revokes a newer token. */
  readonly tokenVersion: string;
  readonly scopes: readonly string[];
  readonly connectedBy?: ConnectedBy;
  readonly firstConnectedAt: string;
  readonly connectedAt: string;
  readonly updatedAt: string;
  /** Hash of the state that produced the current token: lets a replayed callback be recognised. */
  readonly lastStateHash: string;
  /** Why the connection left `active`, in the PIM's words, and when. */
  readonly statusReason?: string;
  readonly statusChangedAt?: string;
  /** Where the next sync run starts: the start time of the last complete run (ISO 8601). */
  readonly syncCursor?: string;
  /** A run stopped before its end (time ran low); the next message resumes it. */
  readonly syncCheckpoint?: SyncCheckpoint;
  readonly lastSyncAt?: string;
  readonly lastSyncRunId?: string;
  readonly lastSyncProductCount?: number;
  /**
   * What the cursor was read from: `products`, or `catalog:<id>` for a catalog's products (absent: `products`, as
   * written before catalogs). A run of another source starts afresh, as a first sync does.
   */
  readonly syncCursorSource?: string;
  /**
   * How the sync fares beside `status`, which stays `active` (the dispatch keeps trying): `catalog_disabled` when the
   * app's catalog answered that it is disabled; the next run that reads its products clears it.
   */
  readonly syncStatus?: SyncStatus;
  readonly syncStatusReason?: string;
  readonly syncStatusChangedAt?: string;
  /** Catalog source: the app's catalog in this PIM (Catalogs for Apps), its name and status as last seen. */
  readonly catalogId?: string;
  readonly catalogName?: string;
  readonly catalogEnabled?: boolean;
  readonly catalogCheckedAt?: string;
  /** When the app's catalog was deleted in the PIM and replaced by a new one (found by name, or created). */
  readonly catalogRecreatedAt?: string;
  /** Who is setting up the catalog right now: one request at a time finds or creates it, never two catalogs. */
  readonly catalogSetup?: CatalogSetupLease;
  /**
   * The event of the last complete run, kept from the moment the cursor moves until the event is published: a step
   * that stopped in between leaves it here, and the next message publishes it before anything else.
   */
  readonly pendingRunEvent?: RunCompletedDetail;
  /** The PIM's Event Platform subscription, where the app tried to subscribe (see `EventPlatformSubscription`). */
  readonly eventPlatform?: EventPlatformSubscription;
  /**
   * When the next reconciliation pass is due (ISO 8601): set when the first sync run completes, then to each pass's
   * start plus the period. The key of the index the dispatch finds the due PIMs by.
   */
  readonly reconcileDueAt?: string;
  /** The last complete reconciliation pass, whose snapshot the next pass compares with. */
  readonly lastReconciliation?: ReconciliationSnapshot;
  /** A pass stopped before its end; the next `reconcile` message resumes it. */
  readonly reconcileCheckpoint?: ReconcileCheckpoint;
  /** The event of the last complete pass, kept until it is published (like `pendingRunEvent`). */
  readonly pendingReconciliationEvent?: ReconciliationCompletedDetail;
  /** How long the last complete run took, from its start to its end (continuations included). */
  readonly lastSyncDurationMs?: number;
  /** The last run step that failed; kept after a success, which only resets `consecutiveFailures`. */
  readonly lastFailure?: SyncFailure;
  /** Run steps that failed since the last complete run. */
  readonly consecutiveFailures?: number;
  /** The PIM was told (`scopes/update`) that the app needs scopes it was not granted: once per distinct set. */
  readonly scopesNotice?: ScopesNotice;
}

/** A run step that ended with an error: its code and message (free of control characters), and when. */
export interface SyncFailure {
  readonly at: string;
  readonly code: string;
  readonly message: string;
}

/** The set of missing scopes the PIM was last told about, and when. */
export interface ScopesNotice {
  /** A hash of the sorted missing scopes: a new set means a new notice. */
  readonly setHash: string;
  readonly missing: readonly string[];
  readonly at: string;
}

/** Products per part, run-length encoded: `[100, 42]` is 42 parts of 100 products each. */
export type PartRun = readonly [productCount: number, parts: number];

/**
 * Enough to resume a run exactly where it stopped, in another Lambda invocation. Bounded in size whatever the PIM
 * answers (see `RunLedger`): it lives in the connection's item, and DynamoDB items stop at 400 KB.
 */
export interface SyncCheckpoint {
  readonly runId: string;
  readonly startedAt: string;
  readonly window: { readonly from?: string; readonly to: string };
  /** The PIM's `_links.next.href` to read next. */
  readonly nextUrl: string;
  /** Products in each part already written, in order, as runs of equal counts: part n+1 is the next one. */
  readonly partRuns?: readonly PartRun[];
  /** The same, one number per part: how checkpoints were written before `partRuns`; read when resuming one. */
  readonly partCounts?: readonly number[];
  /** Pages read so far in this run (an empty page is read but makes no part). */
  readonly pages?: number;
  /** Fingerprints of the last links read, so that a loop spanning a continuation is recognised. */
  readonly recentLinks?: readonly string[];
  /** The previous run's start (the cursor this run began from): products updated before it are re-reads. */
  readonly rereadBefore?: string;
  /** Products read so far that the previous run had already exported (the overlap). */
  readonly rereadCount?: number;
  /** What the run reads (see `Connection.syncCursorSource`); absent: `products`. */
  readonly source?: string;
  /**
   * A first sync split into `created` ranges: the next page of each range not yet at its end (`nextUrl` is one of
   * them). Absent: a run of one cursor.
   */
  readonly rangeLinks?: readonly string[];
}

/** What a successful callback writes; sync fields on an existing item are kept. */
export interface ConnectionAuthorization {
  readonly pimHost: string;
  readonly pimUrl: string;
  readonly encryptedToken: string;
  readonly tokenVersion: string;
  readonly scopes: readonly string[];
  readonly connectedBy?: ConnectedBy;
  readonly connectedAt: string;
  readonly stateHash: string;
}

/**
 * A short fingerprint of the access token. Akeneo returns the same token when the scopes are unchanged, so the
 * version only moves when the PIM really issued a new token. The token has 512 bits of entropy: its hash
 * reveals nothing.
 */
export function tokenVersionOf(accessToken: string): string {
  return sha256Hex(`akeneo-access-token:${accessToken}`).slice(0, 16);
}

export interface IdentityClaims {
  readonly sub: string;
  readonly email?: unknown;
  readonly firstname?: unknown;
  readonly lastname?: unknown;
}

/** Who connected, from the id_token's claims: the PIM's text, kept free of control characters for every printer. */
export function connectedByFrom(claims: IdentityClaims): ConnectedBy {
  const text = (value: unknown) => {
    const plain = typeof value === 'string' ? withoutControlCharacters(value).trim() : '';
    return plain === '' ? undefined : plain;
  };
  const name = [text(claims.firstname), text(claims.lastname)].filter(Boolean).join(' ');
  const email = text(claims.email);
  return { sub: claims.sub, ...(email ? { email } : {}), ...(name ? { name } : {}) };
}
