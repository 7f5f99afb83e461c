import type { EventPlatformSubscription } from '../../functions/contract/event-platform';
import type { Connection } from '../../functions/core/connection';
import { liveUpdatesLabel } from '../../functions/core/event-platform';
import { listConnections } from '../connections';
import { type CliIo, EXIT_OK } from '../io';
import { printJson, printLine, printTable } from '../output';
import { resolveTarget, type TargetFlags } from '../target';

export interface StatusFlags extends TargetFlags {
  readonly json?: boolean;
}

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
}

export interface CatalogView {
  readonly id: string;
  readonly name?: string;
  readonly enabled?: boolean;
  readonly checkedAt?: string;
  /** When it replaced a catalog deleted in the PIM. */
  readonly recreatedAt?: string;
}

/** `status`: the connections stored in the Connections table. */
export async function showStatus(flags: StatusFlags, io: CliIo): Promise<number> {
  const target = await resolveTarget(flags, io);
  const views = (await listConnections(target)).map(connectionView);
  if (flags.json) {
    printJson(io, views);
    return EXIT_OK;
  }
  if (views.length === 0) {
    printLine(io, 'No connection yet: an admin connects a registered PIM by clicking Connect on the app in that PIM.');
    return EXIT_OK;
  }
  printTable(io, views, [
    { title: 'PIM', value: (view) => view.pimUrl },
    { title: 'STATUS', value: statusText },
    { title: 'CONNECTED AT', value: (view) => view.connectedAt },
    { title: 'CONNECTED BY', value: (view) => connectedByText(view.connectedBy) },
    { title: 'LAST SYNC', value: (view) => view.lastSyncAt ?? '-' },
    { title: 'LIVE UPDATES', value: (view) => (view.eventPlatform ? liveUpdatesLabel(view.eventPlatform) : '-') },
    { title: 'SCOPES', value: (view) => view.scopes.join(' ') },
    // The catalog source only: a products-source deployment keeps its table as it was.
    ...(views.some((view) => view.catalog !== undefined)
      ? [{ title: 'CATALOG', value: (view: ConnectionView) => catalogText(view.catalog) }]
      : []),
  ]);
  return EXIT_OK;
}

export function connectionView(connection: Connection): ConnectionView {
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

function connectedByText(connectedBy: ConnectionView['connectedBy']): string {
  if (!connectedBy) return '-';
  const { name, email, sub } = connectedBy;
  if (name && email) return `${name} <${email}>`;
  return name ?? email ?? sub ?? '-';
}
