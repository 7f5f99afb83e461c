import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createApiTraffic, resetStats } from './api-traffic';
import { regenerateAppSecret, registerApp, registerStartupApps, requireApp, toSandboxApp } from './app-registry';
import { selectedRefs, unknownSelectionCodes } from './catalog-selection';
import {
  applyCatalogSelection,
  catalogsOf,
  removeCatalog,
  requireCatalog,
  setCatalogEnabled,
  toSandboxCatalog,
} from './catalog-store';
import { disconnectApp, grantedScopes, isConnected } from './connections';
import { EVENT_PLATFORM_PREFIX } from './event-platform/management-api';
import { EventPlatform } from './event-platform/platform';
import { userAuthor } from './event-platform/product-events';
import type {
  EventDeliveryFault,
  EventDeliveryRecord,
  EventSubscriptionView,
  NotificationRecord,
} from './event-platform/types';
import { renderErrorPage } from './html';
import { sendHtml } from './http-helpers';
import { generateOpenIdKeys } from './openid-keys';
import { ProductCatalog } from './product-catalog';
import { routeRequest } from './router';
import type { PimBrand, SandboxContext, SandboxControls } from './sandbox-context';
import { SandboxStore, type ScopesUpdateRequest } from './sandbox-state';
import type {
  ApiFault,
  ApiStats,
  CatalogSelection,
  IdTokenTamper,
  SandboxApp,
  SandboxAppInput,
  SandboxCatalog,
  SandboxOptions,
  SandboxPim,
  SandboxUser,
  TokenEndpointFault,
  TokenRequestRecord,
} from './types';
import { addProductsAsUser, deleteProductsAsUser, touchProductsAsUser } from './user-product-changes';

const DEFAULT_USER: SandboxUser = {
  username: 'julia',
  firstname: 'Julia',
  lastname: 'Stark',
  email: 'julia@example.com',
};
const DEFAULT_PRODUCT_COUNT = 50;
const DEFAULT_BRAND: PimBrand = { name: 'Sandbox Akeneo PIM', accent: '#5e3bb3' };

class RunningSandboxPim implements SandboxPim {
  constructor(
    private readonly server: Server,
    private readonly context: SandboxContext,
  ) {}

  get url(): string {
    return this.context.baseUrl;
  }

  get tokenRequests(): readonly TokenRequestRecord[] {
    return this.context.controls.tokenRequests;
  }

  private get store(): SandboxStore {
    return this.context.store;
  }

  close(): Promise<void> {
    for (const timer of this.context.controls.pendingTimers) clearTimeout(timer);
    this.context.controls.pendingTimers.clear();
    this.context.eventPlatform.close();
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      // Ends keep-alive sockets and hanging token requests, so close() resolves at once.
      this.server.closeAllConnections();
    });
  }

  addApp(input: SandboxAppInput): SandboxApp {
    return registerApp(this.store, input);
  }

  getApp(clientId: string): SandboxApp | undefined {
    const app = this.store.findApp(clientId);
    return app ? toSandboxApp(app) : undefined;
  }

  get apps(): readonly SandboxApp[] {
    return this.store.state.apps.map(toSandboxApp);
  }

  findAppByName(name: string): SandboxApp | undefined {
    const app = this.store.state.apps.find((candidate) => candidate.name === name);
    return app ? toSandboxApp(app) : undefined;
  }

  regenerateSecret(clientId: string): string {
    return regenerateAppSecret(this.store, clientId);
  }

  disconnect(clientId: string): void {
    requireApp(this.store, clientId);
    disconnectApp(this.store, clientId);
    this.context.eventPlatform.revokeApp(clientId);
  }

  rotateOpenIdKey(): void {
    this.store.state.openIdKeys = generateOpenIdKeys();
    this.store.save();
  }

  advanceClock(seconds: number): void {
    this.store.state.clockOffsetSeconds += seconds;
    this.store.save();
  }

  setTokenEndpointFault(fault: TokenEndpointFault | undefined): void {
    this.context.controls.tokenEndpointFault = fault;
  }

  setIdTokenTamper(tamper: IdTokenTamper | undefined): void {
    this.context.controls.idTokenTamper = tamper;
  }

  connectedApp(clientId: string): { scopes: string[]; accessToken: string } | undefined {
    if (!isConnected(this.store, clientId)) return undefined;
    return { scopes: grantedScopes(this.store, clientId), accessToken: this.store.currentToken(clientId)?.token ?? '' };
  }

  /** The app's `scopes/update` calls so far, in order. */
  scopesUpdateRequests(clientId: string): ScopesUpdateRequest[] {
    return (this.store.state.scopesUpdateRequests ?? []).filter((request) => request.clientId === clientId);
  }

  /** The new scopes the app asked for and the PIM flagged it with, until an admin's consent. */
  outdatedScopes(clientId: string): string[] | undefined {
    return this.store.state.outdatedScopes?.[clientId];
  }

  setApiLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new Error(`The API latency must be a number of milliseconds >= 0, got ${ms}`);
    this.context.controls.api.latencyMs = ms;
  }

  injectApiFaults(faults: readonly ApiFault[]): void {
    for (const fault of faults) {
      if (fault.kind === 'cut-stream' && !(Number.isInteger(fault.afterLines) && fault.afterLines >= 0)) {
        throw new Error(`A cut-stream fault needs afterLines, a whole number >= 0, got ${fault.afterLines}`);
      }
    }
    this.context.controls.api.faults.push(...faults.map((fault) => ({ ...fault })));
  }

  clearApiFaults(): void {
    this.context.controls.api.faults.length = 0;
  }

  get apiStats(): ApiStats {
    return this.context.controls.api.stats;
  }

  resetApiStats(): void {
    resetStats(this.context.controls.api.stats);
  }

  touchProducts(count: number): string[] {
    return touchProductsAsUser(this.context, count);
  }

  addProducts(count: number): string[] {
    return addProductsAsUser(this.context, count);
  }

  deleteProducts(count: number): string[] {
    return deleteProductsAsUser(this.context, count);
  }

  get productCount(): number {
    return this.context.products.size;
  }

  catalogs(clientId: string): SandboxCatalog[] {
    requireApp(this.store, clientId);
    return catalogsOf(this.store, clientId).map(toSandboxCatalog);
  }

  setCatalogSelection(id: string, selection: CatalogSelection): void {
    const catalog = requireCatalog(this.store, id);
    const fields = {
      families: [...selection.families],
      categories: [...selection.categories],
      enabledOnly: selection.enabledOnly ?? false,
    };
    const unknown = unknownSelectionCodes(fields);
    if (unknown.families.length > 0 || unknown.categories.length > 0) {
      const codes = [...unknown.families, ...unknown.categories].join(', ');
      throw new Error(`This PIM has no family or category ${codes}`);
    }
    applyCatalogSelection(this.store, catalog, fields);
  }

  enableCatalog(id: string, enabled: boolean): void {
    setCatalogEnabled(this.store, requireCatalog(this.store, id), enabled);
  }

  deleteCatalog(id: string): void {
    removeCatalog(this.store, requireCatalog(this.store, id));
  }

  catalogProductUuids(id: string): string[] {
    const { products } = this.context;
    return selectedRefs(products, requireCatalog(this.store, id)).map((ref) => products.uuidOf(ref));
  }

  get eventPlatformUrl(): string {
    return `${this.context.baseUrl}${EVENT_PLATFORM_PREFIX}`;
  }

  get userUuid(): string {
    return userAuthor(this.context.user.username).identifier;
  }

  private get eventPlatform(): EventPlatform {
    const platform = this.context.eventPlatform;
    if (!platform.enabled) throw new Error('This sandbox has no Event Platform (started with eventPlatform: false)');
    return platform;
  }

  setEventPlatformPermission(clientId: string, granted: boolean): void {
    const platform = this.eventPlatform;
    requireApp(this.store, clientId);
    if (!isConnected(this.store, clientId)) throw new Error(`The sandbox app ${clientId} is not connected`);
    platform.setPermission(clientId, granted);
  }

  eventPlatformPermission(clientId: string): boolean {
    return this.context.eventPlatform.registry.hasPermission(clientId);
  }

  eventSubscriptions(clientId: string): EventSubscriptionView[] {
    return this.context.eventPlatform.subscriptionViews(clientId);
  }

  get eventDeliveries(): readonly EventDeliveryRecord[] {
    return this.context.eventPlatform.deliveries;
  }

  get eventNotifications(): readonly NotificationRecord[] {
    return this.context.eventPlatform.notifications;
  }

  injectEventDeliveryFaults(faults: readonly EventDeliveryFault[]): void {
    this.eventPlatform.injectFaults(faults);
  }

  eventPlatformSettled(): Promise<void> {
    return this.context.eventPlatform.settled();
  }
}

function listen(server: Server, port: number, hostname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function brandOf(options: SandboxOptions): PimBrand {
  const accent = options.accent ?? DEFAULT_BRAND.accent;
  // It goes into a stylesheet: only a plain colour may.
  if (!/^#[0-9a-f]{6}$/i.test(accent)) throw new Error(`The sandbox accent must be a #rrggbb colour, got "${accent}"`);
  return { name: options.name ?? DEFAULT_BRAND.name, accent };
}

/** Starts the simulator. It logs nothing; a failing request gets a 500 page and the server keeps running. */
export async function startSandboxPim(options: SandboxOptions = {}): Promise<SandboxPim> {
  const brand = brandOf(options);
  const store = SandboxStore.open(options.stateFile);
  registerStartupApps(store, options.apps ?? []);
  const controls: SandboxControls = {
    tokenEndpointFault: undefined,
    idTokenTamper: undefined,
    tokenRequests: [],
    pendingTimers: new Set(),
    api: createApiTraffic(),
  };
  let baseUrl = '';
  const products = new ProductCatalog(options.productCount ?? DEFAULT_PRODUCT_COUNT, store.nowSeconds());
  const eventPlatform = new EventPlatform({
    store,
    options: options.eventPlatform,
    identifierOf: (uuid) => products.identifierOf(uuid),
  });
  const context: SandboxContext = {
    get baseUrl() {
      return baseUrl;
    },
    brand,
    store,
    user: options.user ?? DEFAULT_USER,
    role: { code: 'ROLE_ADMINISTRATOR', label: 'Administrator', manageCustomApps: options.customAppPermission ?? true },
    products,
    controls,
    eventPlatform,
  };
  const listener: RequestListener = (request, response) => {
    routeRequest(context, request, response).catch(() => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendHtml(
        response,
        500,
        renderErrorPage(brand, 'Internal Server Error', 'The sandbox PIM failed to handle this request.'),
      );
    });
  };
  const server = options.tls ? createTlsServer(options.tls, listener) : createServer(listener);
  const port = await listen(server, options.port ?? 0, options.hostname ?? '127.0.0.1');
  baseUrl = `${options.tls ? 'https' : 'http'}://${options.publicHost ?? 'localhost'}:${port}`;
  return new RunningSandboxPim(server, context);
}
