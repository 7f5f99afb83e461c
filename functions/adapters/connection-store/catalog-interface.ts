import type { CatalogSetupLease, Connection } from '../../core/connection';

/** The app's catalog as stored on the connection: the PIM's id, its name, and its status when last seen. */
export interface StoredCatalog {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  /** ISO 8601. */
  readonly checkedAt: string;
}

/**
 * What finding or creating the app's catalog needs of the Connections table: one request at a time holds the
 * connection's catalog setup lease, so that two requests never both create a catalog.
 */
export interface CatalogSetupStore {
  /** Read consistently. */
  get(pimHost: string): Promise<Connection | undefined>;
  /** Takes the lease when it is free or has ended (`now`, epoch ms); false when another holds it. */
  claimCatalogSetup(pimHost: string, lease: CatalogSetupLease, now: number): Promise<boolean>;
  /**
   * Stores the catalog and frees the lease, only while `owner` holds it; false once it does not. `recreatedAt` marks a
   * catalog that replaces one deleted in the PIM.
   */
  saveCatalog(
    pimHost: string,
    catalog: StoredCatalog,
    options: { readonly owner: string; readonly recreatedAt?: string },
  ): Promise<boolean>;
  /** Frees the lease if `owner` still holds it. */
  releaseCatalogSetup(pimHost: string, owner: string): Promise<void>;
  /** The stored catalog answered: its name and status now, unless another catalog was stored meanwhile. */
  noteCatalogSeen(pimHost: string, catalog: StoredCatalog): Promise<void>;
}

/** What the sync records of the catalog it reads. */
export interface CatalogSyncStore {
  /**
   * The catalog answered that it is disabled: `syncStatus` becomes `catalog_disabled` (the status stays active) and
   * the run's checkpoint goes. Only while the connection is active and still stores this catalog.
   */
  markCatalogDisabled(
    pimHost: string,
    change: { readonly catalogId: string; readonly reason: string; readonly at: string },
  ): Promise<void>;
  /** The catalog served its products: enabled as seen `at`, and `catalog_disabled` cleared. */
  noteCatalogServing(pimHost: string, change: { readonly catalogId: string; readonly at: string }): Promise<void>;
}
