import type { Connection, ConnectionStatus, SyncFailure } from './connection';
import { compareScopes } from './scopes';

/** A connection whose last success is older than this many schedule slots is stale: its data is not flowing. */
export const STALE_AFTER_SLOTS = 3;

/** What is wrong with a PIM's sync, most urgent first when several are. */
export type HealthProblemCode =
  | Exclude<ConnectionStatus, 'active'>
  | 'failing'
  | 'stale'
  | 'catalog_disabled'
  | 'scopes_missing'
  | 'event_platform_unavailable'
  | 'event_platform_suspended'
  | 'event_platform_revoked';

/**
 * Problems that leave the scheduled sync whole: a PIM without the Event Platform (a Community or PaaS edition, or the
 * permission not ticked) only misses the live updates, often for good, so a summary that lists what needs looking at
 * leaves it out.
 */
export const INFORMATIONAL_PROBLEMS: ReadonlySet<HealthProblemCode> = new Set(['event_platform_unavailable']);

/** One problem in words: what happens, and what to do about it. */
export interface HealthProblem {
  readonly code: HealthProblemCode;
  readonly text: string;
  readonly next: string;
}

/** A PIM's sync at a glance, computed from its connection and the time (nothing here is stored as such). */
export interface SyncHealth {
  readonly lastSuccess?: { readonly at: string; readonly products?: number; readonly durationMs?: number };
  readonly lastFailure?: SyncFailure;
  readonly consecutiveFailures: number;
  /** Now minus the cursor (the start of the last complete run): how far behind the PIM the export is. */
  readonly lagSeconds?: number;
  /** A run stopped before its end (time ran low, or the PIM asked for a long wait) and a continuation resumes it. */
  readonly continuationPending: boolean;
  /** Active, and no success within `STALE_AFTER_SLOTS` schedule slots (since it connected, if it never synced). */
  readonly stale: boolean;
  /** Requested by the app, absent from the PIM's grant. */
  readonly missingScopes: readonly string[];
  /** When the PIM was told of the missing scopes (`scopes/update`), if it was for this very set. */
  readonly scopesNotifiedAt?: string;
  /** Every problem, most urgent first; empty when all is well. */
  readonly problems: readonly HealthProblem[];
}

export interface HealthContext {
  readonly now: Date;
  /** The schedule slot length (`SYNC_SCHEDULE_MINUTES`). */
  readonly scheduleMinutes: number;
  /** The scopes the deployed app requests (`APP_SCOPES`). */
  readonly requestedScopes: readonly string[];
}

/** The sync's health, from the connection as stored. Pure: `now` is given. */
export function syncHealthOf(connection: Connection, context: HealthContext): SyncHealth {
  const consecutiveFailures = connection.consecutiveFailures ?? 0;
  const missingScopes = compareScopes(context.requestedScopes, connection.scopes ?? []).missing;
  const notice = connection.scopesNotice;
  const notifiedForThisSet = notice !== undefined && sameSet(notice.missing, missingScopes);
  const health = {
    ...(connection.lastSyncAt === undefined
      ? {}
      : {
          lastSuccess: {
            at: connection.lastSyncAt,
            ...(connection.lastSyncProductCount === undefined ? {} : { products: connection.lastSyncProductCount }),
            ...(connection.lastSyncDurationMs === undefined ? {} : { durationMs: connection.lastSyncDurationMs }),
          },
        }),
    ...(connection.lastFailure === undefined ? {} : { lastFailure: connection.lastFailure }),
    consecutiveFailures,
    ...(connection.syncCursor === undefined ? {} : { lagSeconds: secondsBetween(connection.syncCursor, context.now) }),
    continuationPending: connection.syncCheckpoint !== undefined,
    stale: isStale(connection, context),
    missingScopes,
    ...(notifiedForThisSet && missingScopes.length > 0 ? { scopesNotifiedAt: notice.at } : {}),
  };
  return { ...health, problems: problemsOf(connection, health) };
}

/** Active, and the last success (or the connection, before any) older than `STALE_AFTER_SLOTS` slots. */
export function isStale(
  connection: Pick<Connection, 'status' | 'lastSyncAt' | 'connectedAt'>,
  { now, scheduleMinutes }: Pick<HealthContext, 'now' | 'scheduleMinutes'>,
): boolean {
  if (connection.status !== 'active') return false;
  const since = Date.parse(connection.lastSyncAt ?? connection.connectedAt);
  if (Number.isNaN(since)) return false;
  return now.getTime() - since > STALE_AFTER_SLOTS * scheduleMinutes * 60_000;
}

/** What a status other than `active` means, and what to do about it. */
function statusProblem(status: Exclude<ConnectionStatus, 'active'>, reason: string): HealthProblem {
  switch (status) {
    case 'revoked':
      return {
        code: status,
        text: `The PIM disconnected the app (${reason}); it is not synced.`,
        next: 'An admin clicks Open app (or Connect) on the app in that PIM; the next sync resumes from the cursor.',
      };
    case 'scope_missing':
      return {
        code: status,
        text: `The PIM refused a call for lack of a permission (${reason}); it is not synced.`,
        next: 'An admin clicks Open app in that PIM and grants the permissions it asks for.',
      };
    case 'pim_url_mismatch':
      return {
        code: status,
        text: `The stored PIM URL would have sent the token to another host (${reason}); nothing was sent.`,
        next: 'An admin clicks Open app in that PIM, which writes its own URL back; check who changed the stored row.',
      };
  }
}

type HealthFacts = Omit<SyncHealth, 'problems'>;

function problemsOf(connection: Connection, health: HealthFacts): HealthProblem[] {
  const problems: HealthProblem[] = [];
  if (connection.status !== 'active') {
    const reason = connection.statusReason ?? 'no reason given';
    problems.push(statusProblem(connection.status, reason));
  }
  if (health.consecutiveFailures > 0) {
    const failure = health.lastFailure;
    problems.push({
      code: 'failing',
      text:
        `The last ${health.consecutiveFailures} sync attempt(s) failed` +
        (failure ? ` (${failure.code}: ${failure.message}).` : '.'),
      next: 'Nothing is lost: the cursor did not move. Check that the PIM is up; the worker logs name the PIM host.',
    });
  }
  if (health.stale) {
    problems.push({
      code: 'stale',
      text: health.lastSuccess
        ? `No successful sync since ${health.lastSuccess.at}.`
        : 'No successful sync since it connected.',
      next: 'Look at the sync queue, its dead-letter queue and the worker logs for this PIM host.',
    });
  }
  if (connection.status === 'active' && connection.syncStatus === 'catalog_disabled') {
    problems.push({
      code: 'catalog_disabled',
      text:
        "The app's catalog is disabled in the PIM, so the sync receives no products" +
        (connection.syncStatusReason ? ` (${connection.syncStatusReason}).` : '.'),
      next: "A PIM user opens the app's catalog in the PIM, chooses its products and enables it; the next sync reads them.",
    });
  }
  if (health.missingScopes.length > 0) {
    problems.push({
      code: 'scopes_missing',
      text:
        `The app asks for permissions this PIM has not granted: ${health.missingScopes.join(', ')}` +
        (health.scopesNotifiedAt ? ` (the PIM was notified on ${health.scopesNotifiedAt}).` : '.'),
      next: 'An admin who can manage apps clicks Open app in that PIM and accepts the new permissions.',
    });
  }
  const eventPlatform = connection.eventPlatform;
  // Unavailable matters only while the PIM is synced at all: a disconnected PIM's status says what to do first.
  if (eventPlatform?.state === 'unavailable' && connection.status === 'active') {
    problems.push({
      code: 'event_platform_unavailable',
      text: `Live product updates are not available for this PIM${eventPlatform.reason ? ` (${eventPlatform.reason})` : ''}; the scheduled sync still runs.`,
      next: "Where the PIM has the Event Platform (Enterprise SaaS, Growth Edition), a PIM user ticks the Event Platform permission in the app's connection settings, then clicks Open app.",
    });
  }
  if (eventPlatform?.state === 'suspended' || eventPlatform?.state === 'revoked') {
    problems.push({
      code: eventPlatform.state === 'suspended' ? 'event_platform_suspended' : 'event_platform_revoked',
      text: `The PIM's event subscription is ${eventPlatform.state}${eventPlatform.reason ? ` (${eventPlatform.reason})` : ''}; the scheduled sync still runs.`,
      next: 'An admin clicks Open app in that PIM, which subscribes again.',
    });
  }
  return problems;
}

/**
 * The latest time the next scheduled run starts: the schedule fires once per slot, at an offset only EventBridge
 * knows, so at most one slot from now.
 */
export function nextScheduledRunBy({ now, scheduleMinutes }: Pick<HealthContext, 'now' | 'scheduleMinutes'>): Date {
  return new Date(now.getTime() + scheduleMinutes * 60_000);
}

function secondsBetween(iso: string, now: Date): number | undefined {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((now.getTime() - at) / 1000));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
}
