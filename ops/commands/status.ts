import type { EventPlatformSubscription } from '../../functions/contract/event-platform';
import type { Connection } from '../../functions/core/connection';
import { liveUpdatesLabel } from '../../functions/core/event-platform';
import { INFORMATIONAL_PROBLEMS, type SyncHealth, syncHealthOf } from '../../functions/core/sync-health';
import { listConnections } from '../connections';
import { OperationFailedError } from '../errors';
import { type CliIo, EXIT_OK } from '../io';
import { printJson, printLine, printTable } from '../output';
import { resolveTarget, type TargetFlags } from '../target';
import { pimAddressFrom, pimUrlPolicy } from '../validate';
import { healthContextFor } from './health-context';
import { ago, duration, scopesSummary } from './status-text';

export interface StatusFlags extends TargetFlags {
  readonly json?: boolean;
  readonly wide?: boolean;
}

/** The widest line of the default table: it fits a 100-column terminal whatever the PIM's name. */
export const STATUS_TABLE_WIDTH = 100;

/** What `status` shows of a connection: picked field by field, so the encrypted token never shows. */
export interface ConnectionView {
  readonly pimUrl: string;
  readonly pimHost: string;
  readonly status: string;
  readonly scopes: readonly string[];
  readonly connectedAt: string;
  readonly connectedBy: { readonly sub?: string; readonly email?: string; readonly name?: string } | null;
  readonly firstConnectedAt?: string;
  readonly tokenVersion?: string;
  readonly statusReason?: string;
  readonly statusChangedAt?: string;
  readonly lastSyncAt?: string;
  readonly lastSyncProductCount?: number;
  /** Where the PIM stands with the Event Platform (live product updates), once the callback tried. */
  readonly eventPlatform?: EventPlatformSubscription;
  /** How the sync fares beside `status` (which stays active): `catalog_disabled`. */
  readonly syncStatus?: string;
  readonly syncStatusReason?: string;
  readonly syncStatusChangedAt?: string;
  /** The catalog source: the app's catalog in this PIM, as last seen. */
  readonly catalog?: CatalogView;
  /** The sync's health at the time of the command (schema: ops/status.schema.json). */
  readonly health: SyncHealth;
}

export interface CatalogView {
  readonly id: string;
  readonly name?: string;
  readonly enabled?: boolean;
  readonly checkedAt?: string;
  /** When it replaced a catalog deleted in the PIM. */
  readonly recreatedAt?: string;
}

/** `status [pimUrl]`: every stored connection and its sync's health, or one PIM in full. */
export async function showStatus(pimUrl: string | undefined, flags: StatusFlags, io: CliIo): Promise<number> {
  const pimHost = pimUrl === undefined ? undefined : pimAddressFrom(pimUrl, pimUrlPolicy(flags, io.env)).host;
  const target = await resolveTarget(flags, io);
  const context = healthContextFor(target, io.env, new Date());
  const views = (await listConnections(target)).map((connection) => connectionView(connection, context));
  if (pimHost !== undefined) {
    const view = views.find((candidate) => candidate.pimHost === pimHost);
    if (!view) throw new OperationFailedError(`No connection for ${pimHost}: no admin has connected that PIM yet`);
    if (flags.json) printJson(io, view);
    else printOne(io, view, context.now);
    return EXIT_OK;
  }
  if (flags.json) {
    printJson(io, views);
    return EXIT_OK;
  }
  if (views.length === 0) {
    printLine(io, 'No connection yet: an admin connects a registered PIM by clicking Connect on the app in that PIM.');
    return EXIT_OK;
  }
  if (flags.wide) printWide(io, views);
  else printNarrow(io, views, context.now);
  return EXIT_OK;
}

export function connectionView(connection: Connection, context: Parameters<typeof syncHealthOf>[1]): ConnectionView {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    pimUrl: connection.pimUrl,
    pimHost: connection.pimHost,
    status: connection.status,
    scopes: [...(connection.scopes ?? [])],
    connectedAt: connection.connectedAt,
    connectedBy: connection.connectedBy
      ? {
          sub: connection.connectedBy.sub,
          ...(text(connection.connectedBy.email) ? { email: connection.connectedBy.email } : {}),
          ...(text(connection.connectedBy.name) ? { name: connection.connectedBy.name } : {}),
        }
      : null,
    firstConnectedAt: text(connection.firstConnectedAt),
    tokenVersion: text(connection.tokenVersion),
    statusReason: text(connection.statusReason),
    statusChangedAt: text(connection.statusChangedAt),
    lastSyncAt: text(connection.lastSyncAt),
    ...(typeof connection.lastSyncProductCount === 'number'
      ? { lastSyncProductCount: connection.lastSyncProductCount }
      : {}),
    ...(text(connection.syncStatus)
      ? {
          syncStatus: connection.syncStatus,
          syncStatusReason: text(connection.syncStatusReason),
          syncStatusChangedAt: text(connection.syncStatusChangedAt),
        }
      : {}),
    ...(text(connection.catalogId)
      ? {
          catalog: {
            id: connection.catalogId as string,
            name: text(connection.catalogName),
            ...(typeof connection.catalogEnabled === 'boolean' ? { enabled: connection.catalogEnabled } : {}),
            checkedAt: text(connection.catalogCheckedAt),
            recreatedAt: text(connection.catalogRecreatedAt),
          },
        }
      : {}),
    ...(connection.eventPlatform ? { eventPlatform: eventPlatformView(connection.eventPlatform) } : {}),
    health: syncHealthOf(connection, context),
  };
}

/** Field by field, as stored: the ids and the state, nothing else the item might hold. */
function eventPlatformView(stored: EventPlatformSubscription): EventPlatformSubscription {
  const { state, reason, subscriberId, subscriptionId, changedAt } = stored;
  return {
    state,
    ...(reason === undefined ? {} : { reason }),
    ...(subscriberId === undefined ? {} : { subscriberId }),
    ...(subscriptionId === undefined ? {} : { subscriptionId }),
    changedAt,
  };
}

/** The connection's status, then the sync's beside it (an active connection whose catalog is disabled). */
function statusText(view: ConnectionView): string {
  const status = view.statusReason ? `${view.status} (${view.statusReason})` : view.status;
  return view.syncStatus ? `${status}, sync ${view.syncStatus}` : status;
}

function catalogText(catalog: ConnectionView['catalog']): string {
  if (catalog === undefined) return '-';
  const state = catalog.enabled === undefined ? '' : catalog.enabled ? ' enabled' : ' disabled';
  const recreated = catalog.recreatedAt ? `, re-created on ${catalog.recreatedAt}` : '';
  return `${catalog.id}${state}${recreated}`;
}

/** The problems that need looking at: not the Event Platform a PIM does not have (its LIVE UPDATES says so). */
function attentionCodes(view: ConnectionView): string[] {
  return view.health.problems.map((problem) => problem.code).filter((code) => !INFORMATIONAL_PROBLEMS.has(code));
}

/**
 * ok, continuing, or the most urgent problem other than the status itself (`failing+1`: one more); an active
 * connection whose catalog is disabled in the PIM says `catalog_disabled`.
 */
function healthWord(view: ConnectionView): string {
  const codes = attentionCodes(view).filter((code) => code !== view.status);
  const [first] = codes;
  if (first) return codes.length > 1 ? `${first}+${codes.length - 1}` : first;
  if (view.status !== 'active') return '-';
  return view.health.continuationPending ? 'continuing' : 'ok';
}

function printNarrow(io: CliIo, views: readonly ConnectionView[], now: Date): void {
  printTable(
    io,
    views,
    [
      { title: 'PIM', value: (view) => view.pimHost },
      { title: 'STATUS', value: (view) => view.status },
      { title: 'HEALTH', value: healthWord },
      {
        title: 'LAST SYNC',
        value: (view) => (view.health.lastSuccess ? ago(view.health.lastSuccess.at, now) : 'never'),
      },
      { title: 'PRODUCTS', value: (view) => String(view.health.lastSuccess?.products ?? '-') },
      {
        title: 'LAG',
        value: (view) => (view.health.lagSeconds === undefined ? '-' : duration(view.health.lagSeconds)),
      },
      { title: 'FAILS', value: (view) => String(view.health.consecutiveFailures) },
      { title: 'SCOPES', value: (view) => scopesSummary(view.scopes.length, view.health.missingScopes.length) },
    ],
    { maxWidth: STATUS_TABLE_WIDTH, shrink: 0 },
  );
}

function printWide(io: CliIo, views: readonly ConnectionView[]): void {
  printTable(io, views, [
    { title: 'PIM', value: (view) => view.pimUrl },
    { title: 'STATUS', value: statusText },
    { title: 'HEALTH', value: (view) => attentionCodes(view).join(',') || 'ok' },
    { title: 'LAST SYNC', value: (view) => view.health.lastSuccess?.at ?? '-' },
    { title: 'PRODUCTS', value: (view) => String(view.health.lastSuccess?.products ?? '-') },
    {
      title: 'TOOK',
      value: (view) => {
        const ms = view.health.lastSuccess?.durationMs;
        return ms === undefined ? '-' : duration(ms / 1000);
      },
    },
    { title: 'LAG', value: (view) => (view.health.lagSeconds === undefined ? '-' : duration(view.health.lagSeconds)) },
    { title: 'FAILS', value: (view) => String(view.health.consecutiveFailures) },
    {
      title: 'LAST FAILURE',
      value: (view) =>
        view.health.lastFailure ? `${view.health.lastFailure.code} ${view.health.lastFailure.at}` : '-',
    },
    { title: 'CONTINUING', value: (view) => (view.health.continuationPending ? 'yes' : 'no') },
    { title: 'CONNECTED AT', value: (view) => view.connectedAt },
    { title: 'CONNECTED BY', value: (view) => connectedByText(view.connectedBy) },
    { title: 'SCOPES', value: (view) => view.scopes.join(' ') },
    { title: 'MISSING SCOPES', value: (view) => view.health.missingScopes.join(' ') || '-' },
    { title: 'LIVE UPDATES', value: (view) => (view.eventPlatform ? liveUpdatesLabel(view.eventPlatform) : '-') },
    // The catalog source only: a products-source deployment keeps its table as it was.
    ...(views.some((view) => view.catalog !== undefined)
      ? [{ title: 'CATALOG', value: (view: ConnectionView) => catalogText(view.catalog) }]
      : []),
  ]);
}

function printOne(io: CliIo, view: ConnectionView, now: Date): void {
  const { health } = view;
  const lines: Array<[string, string]> = [
    ['PIM', view.pimUrl],
    [
      'Status',
      view.statusReason ? `${view.status} (${view.statusReason}, ${view.statusChangedAt ?? '?'})` : view.status,
    ],
    [
      'Connected',
      `${view.connectedAt} by ${connectedByText(view.connectedBy)} (first: ${view.firstConnectedAt ?? '?'})`,
    ],
    [
      'Last sync',
      health.lastSuccess
        ? `${health.lastSuccess.at} (${ago(health.lastSuccess.at, now)}), ${health.lastSuccess.products ?? '?'} products` +
          (health.lastSuccess.durationMs === undefined ? '' : ` in ${duration(health.lastSuccess.durationMs / 1000)}`)
        : 'never',
    ],
    ['Lag', health.lagSeconds === undefined ? '-' : duration(health.lagSeconds)],
    ['Live updates', view.eventPlatform ? liveUpdatesLabel(view.eventPlatform) : '-'],
    ['Catalog', catalogText(view.catalog)],
    ['Continuation', health.continuationPending ? 'pending' : 'none'],
    ['Stale', health.stale ? 'yes' : 'no'],
    ['Failures in a row', String(health.consecutiveFailures)],
    [
      'Last failure',
      health.lastFailure
        ? `${health.lastFailure.at} ${health.lastFailure.code}: ${health.lastFailure.message}`
        : 'none',
    ],
    ['Scopes', view.scopes.join(' ')],
    [
      'Missing scopes',
      health.missingScopes.length === 0
        ? 'none'
        : `${health.missingScopes.join(' ')} (${health.scopesNotifiedAt ? `PIM notified ${health.scopesNotifiedAt}` : 'PIM not notified yet'})`,
    ],
  ];
  const width = Math.max(...lines.map(([label]) => label.length)) + 2;
  for (const [label, value] of lines) printLine(io, `${`${label}:`.padEnd(width)}${value}`);
  if (health.problems.length === 0) {
    printLine(io, 'Problems: none');
    return;
  }
  printLine(io, 'Problems:');
  for (const problem of health.problems) {
    printLine(io, `  - ${problem.text}`);
    printLine(io, `    Next: ${problem.next}`);
  }
}

function connectedByText(connectedBy: ConnectionView['connectedBy']): string {
  if (!connectedBy) return '-';
  const { name, email, sub } = connectedBy;
  if (name && email) return `${name} <${email}>`;
  return name ?? email ?? sub ?? '-';
}
