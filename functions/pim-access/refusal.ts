import type { ConnectionStatus } from '../core/connection';

/** A status a connection leaves `active` for: `revoked`, `scope_missing`, `pim_url_mismatch`. */
export type InactiveStatus = Exclude<ConnectionStatus, 'active'>;

/**
 * Why a PIM cannot be called: it never connected the app, or its connection is no longer active. `reason` is what
 * the connection stored with its status (the PIM's own words for a 401 or a 403).
 */
export type PimAccessRefusal =
  | { readonly status: 'not_connected'; readonly reason: string; readonly marked?: never }
  | {
      readonly status: InactiveStatus;
      readonly reason: string;
      /**
       * Present when this access met the refusal itself (the PIM's 401 or 403, a stored URL on another host) and
       * wrote it on the connection: true when marked; false when a reconnect had replaced the token meanwhile, so the
       * new token is left active. Absent when the connection was already inactive when read.
       */
      readonly marked?: boolean;
    };
