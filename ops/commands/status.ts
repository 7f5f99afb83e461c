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
    {
      title: 'STATUS',
      value: (view) => (view.statusReason ? `${view.status} (${view.statusReason})` : view.status),
    },
    { title: 'CONNECTED AT', value: (view) => view.connectedAt },
    { title: 'CONNECTED BY', value: (view) => connectedByText(view.connectedBy) },
    { title: 'LAST SYNC', value: (view) => view.lastSyncAt ?? '-' },
    { title: 'LIVE UPDATES', value: (view) => (view.eventPlatform ? liveUpdatesLabel(view.eventPlatform) : '-') },
    { title: 'SCOPES', value: (view) => view.scopes.join(' ') },
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

function connectedByText(connectedBy: ConnectionView['connectedBy']): string {
  if (!connectedBy) return '-';
  const { name, email, sub } = connectedBy;
  if (name && email) return `${name} <${email}>`;
  return name ?? email ?? sub ?? '-';
}
