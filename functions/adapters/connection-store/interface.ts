import type { EventPlatformSubscription } from '../../contract/event-platform';
import type { Connection, ConnectionAuthorization } from '../../core/connection';

/** One connection per PIM host. */
export interface ConnectionStore {
  get(pimHost: string): Promise<Connection | undefined>;
  /**
   * Stores a fresh authorization: replaces the token and identity, marks it active, keeps any sync state. Returns the
   * connection as this very write left it.
   */
  saveAuthorization(authorization: ConnectionAuthorization): Promise<Connection>;
  list(): Promise<Connection[]>;
  /**
   * Stores where the PIM stands with the Event Platform, only while the connection is active with the token of
   * `tokenVersion`: a reconnect or a revocation that happened meanwhile wins. Returns whether it was stored.
   */
  saveEventPlatform(pimHost: string, tokenVersion: string, eventPlatform: EventPlatformSubscription): Promise<boolean>;
}
