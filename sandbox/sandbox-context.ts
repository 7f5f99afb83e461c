import type { Product } from './product-catalog';
import type { SandboxStore } from './sandbox-state';
import type { IdTokenTamper, SandboxUser, TokenEndpointFault, TokenRequestRecord } from './types';

/** Test controls that live only in memory. */
export interface SandboxControls {
  tokenEndpointFault: TokenEndpointFault | undefined;
  idTokenTamper: IdTokenTamper | undefined;
  readonly tokenRequests: TokenRequestRecord[];
  /** Timers of delayed token responses, cleared on close. */
  readonly pendingTimers: Set<NodeJS.Timeout>;
}

/** What every route handler needs. */
export interface SandboxContext {
  /** Base URL without a trailing slash: pim_url and the id_token issuer. */
  readonly baseUrl: string;
  readonly store: SandboxStore;
  readonly user: SandboxUser;
  readonly products: readonly Product[];
  readonly controls: SandboxControls;
}
