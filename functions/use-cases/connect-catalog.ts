import { catalogSettingsUrl } from '../akeneo/catalogs';
import type { Connection } from '../core/connection';
import { AppError } from '../core/errors';
import type { PimAccess } from '../pim-access';
import { type EnsureCatalogDeps, ensureCatalog } from './ensure-catalog';

/** The app's catalog as the connected page shows it. */
export type CatalogView =
  | {
      readonly kind: 'ready';
      readonly id: string;
      readonly name: string;
      readonly enabled: boolean;
      /** The PIM user's page for the catalog: its product selection and the button that enables it. */
      readonly settingsUrl: string;
      /** When it replaced a catalog deleted in the PIM. */
      readonly recreatedAt?: string;
    }
  | {
      /** The PIM is connected, but its catalog is not set up yet: the next sync tries again. */
      readonly kind: 'unfinished';
      readonly reason: string;
    };

export interface ConnectCatalogInput {
  readonly pimHost: string;
  /** The token just exchanged and stored: the step uses it as it is, without decrypting the stored copy. */
  readonly accessToken: string;
}

/** The catalog step of a successful callback (catalog source only). Never throws: the PIM stays connected. */
export type ConnectCatalog = (input: ConnectCatalogInput) => Promise<CatalogView>;

export interface ConnectCatalogDeps extends EnsureCatalogDeps {
  readonly pims: Pick<PimAccess, 'withFreshToken'>;
  /** The longest one call to the PIM may take. */
  readonly callTimeoutMs: number;
  /** The most the whole step may take: the connected page waits for it. */
  readonly stepTimeoutMs: number;
  /** Told why the step did not finish (a log line at warn). */
  readonly onUnfinished?: (pimHost: string, reason: string, error?: unknown) => void;
}

/**
 * After the token is stored: makes sure the app's catalog exists in the PIM (`ensureCatalog`), bounded by
 * `stepTimeoutMs`. Best effort: a PIM that fails, is slow or refuses is still connected, the page says what happened,
 * and the next sync finishes the step.
 */
export const connectCatalog =
  (deps: ConnectCatalogDeps): ConnectCatalog =>
  async ({ pimHost, accessToken }) => {
    const deadline = deps.now().getTime() + deps.stepTimeoutMs;
    const unfinished = (reason: string, error?: unknown): CatalogView => {
      deps.onUnfinished?.(pimHost, reason, error);
      return { kind: 'unfinished', reason };
    };
    try {
      const connection = await deps.store.get(pimHost);
      if (connection === undefined) return unfinished('the connection was not found once stored');
      const outcome = await deps.pims.withFreshToken(
        connection,
        accessToken,
        (pim) => ensureCatalog(deps, pim, { connection, deadline, callTimeoutMs: deps.callTimeoutMs }),
        { waitBudgetMs: () => deadline - deps.now().getTime() },
      );
      if (outcome.status !== 'done') return unfinished(`the PIM refused the catalog calls (${outcome.status})`);
      const ensured = outcome.value;
      if (ensured.kind === 'unfinished') return unfinished(ensured.reason);
      const { catalog, replaced } = ensured;
      return {
        kind: 'ready',
        id: catalog.id,
        name: catalog.name,
        enabled: catalog.enabled,
        settingsUrl: catalogSettingsUrl(connection.pimUrl, catalog.id),
        ...(replaced ? { recreatedAt: replaced.at } : {}),
      };
    } catch (error) {
      // An AppError's message is written for people and holds no secret; anything else stays in the log.
      return unfinished(error instanceof AppError ? error.message : 'an unexpected error (see the log)', error);
    }
  };

/** The catalog a connection stores, as the page shows it (a replayed callback, the status command). */
export function storedCatalogView(connection: Connection): CatalogView | undefined {
  if (connection.catalogId === undefined) return undefined;
  return {
    kind: 'ready',
    id: connection.catalogId,
    name: connection.catalogName ?? '',
    enabled: connection.catalogEnabled ?? false,
    settingsUrl: catalogSettingsUrl(connection.pimUrl, connection.catalogId),
    ...(connection.catalogRecreatedAt ? { recreatedAt: connection.catalogRecreatedAt } : {}),
  };
}
