import type { EventPlatform } from './event-platform/platform';
import type { ProductCatalog } from './product-catalog';
import type { SandboxStore } from './sandbox-state';
import type { ApiFault, ApiStats, IdTokenTamper, SandboxUser, TokenEndpointFault, TokenRequestRecord } from './types';

/** Latency, faults and statistics of /api/rest/v1/*. */
export interface ApiTraffic {
  latencyMs: number;
  readonly faults: ApiFault[];
  readonly stats: ApiStats;
  inFlight: number;
  /** Requests in flight per token key (see ApiStats.maxConcurrentPerToken). */
  readonly inFlightPerToken: Map<string, number>;
}

/** Test controls that live only in memory. */
export interface SandboxControls {
  tokenEndpointFault: TokenEndpointFault | undefined;
  idTokenTamper: IdTokenTamper | undefined;
  readonly tokenRequests: TokenRequestRecord[];
  /** Timers of delayed responses, cleared on close. */
  readonly pendingTimers: Set<NodeJS.Timeout>;
  readonly api: ApiTraffic;
}

/** The logged-in user's role, as System → Roles shows it. Kept in memory only. */
export interface SandboxRole {
  readonly code: string;
  readonly label: string;
  /** Connect → *Create and delete custom apps*. */
  manageCustomApps: boolean;
}

/** How this PIM looks, so that two sandboxes side by side are not taken for one another. */
export interface PimBrand {
  /** In every page title and in the header. */
  readonly name: string;
  /** The header's background, `#rrggbb`: white text must stay readable on it. */
  readonly accent: string;
}

/** What every route handler needs. */
export interface SandboxContext {
  readonly brand: PimBrand;
  /** Base URL without a trailing slash: pim_url and the id_token issuer. */
  readonly baseUrl: string;
  readonly store: SandboxStore;
  readonly user: SandboxUser;
  readonly role: SandboxRole;
  readonly products: ProductCatalog;
  readonly controls: SandboxControls;
  /** Akeneo's Event Platform, as this PIM's own (its management API is served by the sandbox too). */
  readonly eventPlatform: EventPlatform;
}
