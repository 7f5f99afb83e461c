import type {
  EventDeliveryFault,
  EventDeliveryRecord,
  EventPlatformOptions,
  EventSubscriptionView,
  NotificationRecord,
} from './event-platform/types';
import type { ScopesUpdateRequest } from './sandbox-state';

export interface SandboxUser {
  username: string;
  firstname: string;
  lastname: string;
  email: string;
}

export interface SandboxAppInput {
  name: string;
  activateUrl: string;
  callbackUrl: string;
  clientId?: string;
  clientSecret?: string;
}

export interface SandboxApp {
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly activateUrl: string;
  readonly callbackUrl: string;
}

export type TokenEndpointFault =
  | { kind: 'server-error' }
  | { kind: 'malformed-json' }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' };

export type IdTokenTamper = 'wrong-aud' | 'wrong-iss' | 'expired' | 'bad-signature';

/** One token request as the sandbox answered it. status 0 means the request was left hanging. */
export interface TokenRequestRecord {
  clientId: string;
  status: number;
  error?: string;
}

export interface SandboxOptions {
  /** The PIM's name in page titles and the header. @default 'Sandbox Akeneo PIM' */
  name?: string;
  /** The header colour, `#rrggbb`. @default '#5e3bb3' (Akeneo purple) */
  accent?: string;
  /** Listen port. @default 0 (a random free port) */
  port?: number;
  /** Listen address. @default '127.0.0.1' */
  hostname?: string;
  /** Host used in the base URL. @default 'localhost' */
  publicHost?: string;
  /**
   * Serve https with this key and certificate (PEM) instead of plain http, and announce an https base URL: a PIM the
   * app accepts in AWS mode, which takes https PIMs only. @default plain http
   */
  tls?: { readonly key: string; readonly cert: string };
  /** Custom apps registered at start. */
  apps?: SandboxAppInput[];
  /** Size of the generated catalog. @default 50 */
  productCount?: number;
  /** The logged-in PIM user. @default Julia Stark */
  user?: SandboxUser;
  /** JSON file to load the state from at start and save it to after every change (mode 0600). */
  stateFile?: string;
  /**
   * Whether the user's role has *Create and delete custom apps* at start (System → Roles → Permissions → Connect).
   * Kept in memory only. @default true
   */
  customAppPermission?: boolean;
  /**
   * Akeneo's Event Platform for this PIM: its management API (at `eventPlatformUrl`), the permission on Connected
   * apps, product event delivery and subscription notifications. `false`: a PIM without it (SaaS-only on Akeneo),
   * whose management API answers 404. @default {} (no activation delay, Akeneo's retry schedule, 5 s timeout)
   */
  eventPlatform?: EventPlatformOptions | false;
}

/** What the next /api/rest/v1/* request answers instead of its normal answer. */
export type ApiFault =
  | { kind: 'rate-limit'; retryAfterSeconds?: number }
  | { kind: 'server-error'; status?: 500 | 502 | 503 }
  | { kind: 'unauthorized-disconnected' }
  /**
   * The connection closes mid-answer. A collection PATCH (PATCH /api/rest/v1/products-uuid) applies its first
   * `afterLines` lines and sends their results, then closes without ending the body: the other lines are not applied.
   * Any other API call taking this fault has its connection closed before any answer. A PATCH refused as a whole
   * (401, 403, 413, 415) answers as usual.
   */
  | { kind: 'cut-stream'; afterLines: number };

/** Traffic seen on /api/rest/v1/* since the start or the last resetApiStats(). */
export interface ApiStats {
  /** Requests received. */
  requests: number;
  /** Peak number of requests in flight at once, from arrival until the response ends (latency included). */
  maxConcurrent: number;
  /** The same peak per bearer token, keyed by the first 8 hex characters of sha256(token). */
  maxConcurrentPerToken: Record<string, number>;
  /** Responses per HTTP status. */
  statuses: Record<string, number>;
  /** Time spent building and sending answers, after the added latency: the sandbox's own serve time, summed. */
  answerMs: number;
  /** The path and query of the latest requests, oldest first (the last 1,000: `RECENT_REQUESTS_KEPT`, api-traffic.ts). */
  recentRequests: string[];
}

/** A catalog's product selection, as a PIM user sets it on the catalog page. Criteria are ANDed. */
export interface CatalogSelection {
  /** Products of any of these families; none = any family. */
  readonly families: readonly string[];
  /** Products in any of these categories or their children; none = any category. */
  readonly categories: readonly string[];
  /** Enabled products only (Akeneo's "Status: enabled" criterion, which a new catalog has). @default false */
  readonly enabledOnly?: boolean;
}

/** A catalog for Apps, as the PIM holds it. */
export interface SandboxCatalog {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  /** The app whose token created it: only its tokens see it. */
  readonly clientId: string;
  readonly managedCurrencies: readonly string[];
  readonly managedLocales: readonly string[];
  readonly selection: Required<CatalogSelection>;
}

export interface SandboxPim {
  readonly url: string;
  close(): Promise<void>;
  addApp(input: SandboxAppInput): SandboxApp;
  getApp(clientId: string): SandboxApp | undefined;
  /** Every custom app, in the order *Custom apps* lists them. */
  readonly apps: readonly SandboxApp[];
  /** The first custom app with this name, as *Custom apps* lists them. */
  findAppByName(name: string): SandboxApp | undefined;
  regenerateSecret(clientId: string): string;
  disconnect(clientId: string): void;
  rotateOpenIdKey(): void;
  advanceClock(seconds: number): void;
  setTokenEndpointFault(fault: TokenEndpointFault | undefined): void;
  setIdTokenTamper(tamper: IdTokenTamper | undefined): void;
  readonly tokenRequests: readonly TokenRequestRecord[];
  connectedApp(clientId: string): { scopes: string[]; accessToken: string } | undefined;
  /** The app's `POST /connect/apps/v1/scopes/update` calls so far, in order. */
  scopesUpdateRequests(clientId: string): ScopesUpdateRequest[];
  /** The new scopes the PIM flagged the app with after `scopes/update`, until an admin's next consent. */
  outdatedScopes(clientId: string): string[] | undefined;
  /** Every /api/rest/v1/* request waits this long before answering (0 = none). */
  setApiLatency(ms: number): void;
  /** Appended to a queue: each upcoming /api/rest/v1/* request takes the next fault (FIFO) instead of its answer. */
  injectApiFaults(faults: readonly ApiFault[]): void;
  clearApiFaults(): void;
  /** A live object: it changes as requests arrive. */
  readonly apiStats: ApiStats;
  resetApiStats(): void;
  /**
   * Sets `updated` to the sandbox's current second on `count` products spread over the catalog; returns their uuids.
   * Like the other product methods, it acts as the PIM user: the Event Platform delivers the matching events.
   */
  touchProducts(count: number): string[];
  /** Appends `count` new products created and updated now; returns their uuids. */
  addProducts(count: number): string[];
  /**
   * Deletes `count` products spread over the catalog, as a PIM user would: GET answers 404 and no list shows them.
   * Returns their uuids (fewer when the catalog has fewer products).
   */
  deleteProducts(count: number): string[];
  readonly productCount: number;
  /** The app's catalogs, in id order as GET /api/rest/v1/catalogs lists them. Throws for an unknown app. */
  catalogs(clientId: string): SandboxCatalog[];
  /**
   * Replaces a catalog's product selection, as a PIM user saving its page (empty lists and no enabledOnly = every
   * product). Throws for an unknown catalog, family or category.
   */
  setCatalogSelection(id: string, selection: CatalogSelection): void;
  /** Enables or disables a catalog, as a PIM user would; a disabled one answers its products with a 200 error body. */
  enableCatalog(id: string, enabled: boolean): void;
  /** Deletes a catalog: its endpoints then answer 404. Throws for an unknown catalog. */
  deleteCatalog(id: string): void;
  /** The uuids of the products the catalog selects now, in uuid order, whether or not it is enabled. */
  catalogProductUuids(id: string): string[];

  /** The Event Platform's management API for this PIM: `${url}/event-platform/api/v1`. */
  readonly eventPlatformUrl: string;
  /** The PIM user's uuid: `author.identifier` of the changes made on the controls page and by the product methods. */
  readonly userUuid: string;
  /** Ticks or unticks the app's Event Platform permission (Connected apps); unticking suspends its subscriptions. */
  setEventPlatformPermission(clientId: string, granted: boolean): void;
  eventPlatformPermission(clientId: string): boolean;
  /** The subscriptions of the app's subscribers, with their status. */
  eventSubscriptions(clientId: string): EventSubscriptionView[];
  /** Every product event delivery attempt, in order: a live array. */
  readonly eventDeliveries: readonly EventDeliveryRecord[];
  /** Every subscription notification (webhook attempts and emails), in order: a live array. */
  readonly eventNotifications: readonly NotificationRecord[];
  /** Appended to a queue: each upcoming product event delivery takes the next fault (FIFO). */
  injectEventDeliveryFaults(faults: readonly EventDeliveryFault[]): void;
  /** Resolves once every event and notification that is due has been delivered, retried to the end or dropped. */
  eventPlatformSettled(): Promise<void>;
}
