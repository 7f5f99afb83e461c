import type { Connection, ConnectionStatus } from '../../core/connection';

/**
 * What the entry point to a PIM (functions/pim-access/) needs of the Connections table: read one connection
 * consistently, and mark it inactive when its PIM refuses its token or a scope, or its stored URL is refused.
 */
export interface ConnectionAccessStore {
  /** Read consistently: what is read is acted on (a token decrypted, a status written on its version). */
  get(pimHost: string): Promise<Connection | undefined>;
  /**
   * Marks the connection revoked (401), missing a scope (403) or refused for its stored URL, only if the token that met the refusal is still
   * the current one: a reconnect that happened meanwhile is never undone. Returns whether it was marked.
   */
  markInactive(pimHost: string, change: InactiveChange): Promise<boolean>;
}

export interface InactiveChange {
  readonly status: Exclude<ConnectionStatus, 'active'>;
  readonly reason: string;
  readonly tokenVersion: string;
  readonly at: string;
}
