import type { Connection, ConnectionAuthorization } from '../../core/connection';

/** One connection per PIM host. */
export interface ConnectionStore {
  get(pimHost: string): Promise<Connection | undefined>;
  /** Stores a fresh authorization: replaces the token and identity, marks it active, keeps any sync state. */
  saveAuthorization(authorization: ConnectionAuthorization): Promise<void>;
  list(): Promise<Connection[]>;
}
