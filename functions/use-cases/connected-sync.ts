import type { EventPlatformSubscription } from '../contract/event-platform';
import type { Connection } from '../core/connection';
import { type HealthContext, nextScheduledRunBy, type SyncHealth, syncHealthOf } from '../core/sync-health';
import type { CatalogView } from './connect-catalog';

/** The PIM's sync as the connected page shows it: its health when the page was made, and the next scheduled run. */
export interface ConnectedSync {
  readonly health: SyncHealth;
  /** ISO 8601: when the health was judged (the callback's now), for "12 minutes ago". */
  readonly at: string;
  /** ISO 8601: the next scheduled run starts by then at the latest. */
  readonly nextRunBy: string;
}

/** What the callback's own steps found after its write: newer than the item that write returned. */
export interface CallbackFindings {
  readonly catalog?: CatalogView;
  readonly eventPlatform?: EventPlatformSubscription;
}

/**
 * The sync's health from the connection as the callback's write left it, with what its catalog and Event Platform
 * steps saw since: a catalog just found enabled is no longer a problem, one found disabled is one.
 */
export function connectedSyncOf(
  connection: Connection,
  context: HealthContext,
  findings: CallbackFindings = {},
): ConnectedSync {
  const seen: Connection = {
    ...withCatalogSeen(connection, findings.catalog),
    ...(findings.eventPlatform ? { eventPlatform: findings.eventPlatform } : {}),
  };
  return {
    health: syncHealthOf(seen, context),
    at: context.now.toISOString(),
    nextRunBy: nextScheduledRunBy(context).toISOString(),
  };
}

function withCatalogSeen(connection: Connection, catalog: CatalogView | undefined): Connection {
  if (catalog?.kind !== 'ready') return connection;
  if (catalog.enabled) {
    const { syncStatus: _status, syncStatusReason: _reason, syncStatusChangedAt: _at, ...rest } = connection;
    return { ...rest, catalogEnabled: true };
  }
  return { ...connection, catalogEnabled: false, syncStatus: 'catalog_disabled' };
}
