import type { CatalogSetupStore, StoredCatalog } from '../adapters/connection-store';
import { CATALOGS_PATH, type CatalogDescription, catalogListPath, catalogPath, parseCatalog } from '../akeneo/catalogs';
import { parseListPage } from '../akeneo/list-page';
import { PimNotFoundError } from '../akeneo/rest-errors';
import type { Connection } from '../core/connection';
import { UnexpectedPimAnswerError } from '../core/errors';

/** What finding or creating a catalog needs of a PIM: a `PimClient`. */
export interface CatalogApi {
  readonly pimHost: string;
  get(path: string): Promise<unknown>;
  follow(link: string): Promise<unknown>;
  post(path: string, body: object): Promise<unknown>;
}

export interface EnsureCatalogDeps {
  readonly store: CatalogSetupStore;
  /** The catalog's name: the app finds its catalog in a PIM by it, when the stored id no longer answers. */
  readonly catalogName: string;
  readonly now: () => Date;
  readonly randomBytes: (size: number) => Uint8Array;
  /** Tests pass a fake one. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface EnsureCatalogInput {
  /** The connection as read, for the catalog it stores. */
  readonly connection: Pick<Connection, 'pimHost' | 'catalogId'>;
  /** Epoch ms: no call to the PIM starts after `deadline − callTimeoutMs`, so the step ends by then. */
  readonly deadline: number;
  /** The longest one call to the PIM may take. */
  readonly callTimeoutMs: number;
}

/**
 * How the catalog was found: the one stored on the connection; one of the PIM's catalogs of that name; a new one.
 * `recreatedAt` when the stored one had been deleted in the PIM and this one replaces it.
 */
export type EnsuredCatalog =
  | {
      readonly kind: 'ready';
      readonly catalog: StoredCatalog;
      readonly how: 'stored' | 'found' | 'created';
      readonly replaced?: { readonly previousId: string; readonly at: string };
    }
  | {
      readonly kind: 'unfinished';
      /** `busy`: another request holds the setup and did not finish in time; `time`: the step's time ran out. */
      readonly why: 'busy' | 'time';
      readonly reason: string;
    };

/** Wait between two looks at a setup another request holds. */
const SETUP_POLL_MS = 250;
/**
 * What the setup lease adds to the holder's deadline: the clock skew between two function instances (up to 5 s, as
 * for the call slots) and the lease's own writes.
 */
const SETUP_LEASE_MARGIN_MS = 10_000;
/** A PIM lists 200 catalogs per app at most, 2 pages of 100: far more pages is not a catalog list. */
const MAX_LIST_PAGES = 20;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Makes sure the app has its catalog in the PIM, and stores its id on the connection: the stored one while it still
 * answers; else, under the connection's setup lease (one request at a time, so never two catalogs), one of the PIM's
 * catalogs with the configured name (an enabled one first), or a new one (`POST`, disabled until a PIM user enables
 * it). A request that finds the lease held waits for its holder and takes what it stored.
 */
export async function ensureCatalog(
  deps: EnsureCatalogDeps,
  pim: CatalogApi,
  input: EnsureCatalogInput,
): Promise<EnsuredCatalog> {
  const { pimHost } = pim;
  const clock = new StepClock(deps.now, input);
  const stored = input.connection.catalogId;
  if (stored !== undefined) {
    const seen = await clock.call(() => readCatalog(pim, stored));
    if (seen === 'time') return clock.outOfTime();
    if (seen !== undefined) {
      const catalog = { ...seen, checkedAt: clock.nowIso() };
      await deps.store.noteCatalogSeen(pimHost, catalog);
      return { kind: 'ready', catalog, how: 'stored' };
    }
  }
  const owner = Buffer.from(deps.randomBytes(12)).toString('hex');
  const sleep = deps.sleep ?? defaultSleep;
  for (;;) {
    const lease = { owner, expiresAt: input.deadline + SETUP_LEASE_MARGIN_MS };
    if (await deps.store.claimCatalogSetup(pimHost, lease, clock.nowMs())) break;
    // Another request is setting it up: what it stores is the catalog.
    if (clock.leftMs() < SETUP_POLL_MS) {
      return {
        kind: 'unfinished',
        why: 'busy',
        reason: 'another request was setting up the catalog and did not finish in time',
      };
    }
    await sleep(SETUP_POLL_MS);
    const current = await deps.store.get(pimHost);
    if (current?.catalogSetup === undefined && current?.catalogId !== undefined && current.catalogId !== stored) {
      return { kind: 'ready', catalog: storedCatalogOf(current, current.catalogId), how: 'stored' };
    }
  }
  let saved = false;
  try {
    const outcome = await setUp(deps, pim, clock, stored, owner);
    saved = outcome.kind === 'ready';
    return outcome;
  } finally {
    if (!saved) await deps.store.releaseCatalogSetup(pimHost, owner);
  }
}

/** Under the lease: what another request stored meanwhile, else a catalog of that name, else a new one. */
async function setUp(
  deps: EnsureCatalogDeps,
  pim: CatalogApi,
  clock: StepClock,
  stored: string | undefined,
  owner: string,
): Promise<EnsuredCatalog> {
  const { pimHost } = pim;
  let previous = stored;
  const current = (await deps.store.get(pimHost))?.catalogId;
  if (current !== undefined && current !== stored) {
    const seen = await clock.call(() => readCatalog(pim, current));
    if (seen === 'time') return clock.outOfTime();
    if (seen !== undefined) return save(deps, pimHost, { ...seen, checkedAt: clock.nowIso() }, 'stored', owner);
    previous = current;
  }
  const found = await findByName(pim, deps.catalogName, clock);
  if (found === 'time') return clock.outOfTime();
  let how: 'found' | 'created' = 'found';
  let catalog = found;
  if (catalog === undefined) {
    const created = await clock.call(async () =>
      parseCatalog(await pim.post(CATALOGS_PATH, { name: deps.catalogName })),
    );
    if (created === 'time') return clock.outOfTime();
    catalog = created;
    how = 'created';
  }
  const at = clock.nowIso();
  const replaced = previous === undefined ? undefined : { previousId: previous, at };
  return save(deps, pimHost, { ...catalog, checkedAt: at }, how, owner, replaced);
}

async function save(
  deps: EnsureCatalogDeps,
  pimHost: string,
  catalog: StoredCatalog,
  how: 'stored' | 'found' | 'created',
  owner: string,
  replaced?: { readonly previousId: string; readonly at: string },
): Promise<EnsuredCatalog> {
  const saved = await deps.store.saveCatalog(pimHost, catalog, {
    owner,
    ...(replaced ? { recreatedAt: replaced.at } : {}),
  });
  // The lease outlasts every call this step starts; losing it means the clocks disagree by more than its margin.
  if (!saved) throw new Error(`The catalog setup lease of ${pimHost} ended before its holder stored the catalog`);
  return { kind: 'ready', catalog, how, ...(replaced ? { replaced } : {}) };
}

/** The catalog with this id, or undefined once the PIM says it has none (deleted, or not this app's). */
async function readCatalog(pim: CatalogApi, id: string): Promise<CatalogDescription | undefined> {
  try {
    return parseCatalog(await pim.get(catalogPath(id)));
  } catch (error) {
    if (error instanceof PimNotFoundError) return undefined;
    throw error;
  }
}

/**
 * The app's catalogs of that name, every page read: an enabled one first (a PIM user chose its products), else the
 * first.
 */
async function findByName(
  pim: CatalogApi,
  name: string,
  clock: StepClock,
): Promise<CatalogDescription | undefined | 'time'> {
  const named: CatalogDescription[] = [];
  let link: string | undefined = catalogListPath();
  for (let pages = 0; link !== undefined; pages += 1) {
    if (pages >= MAX_LIST_PAGES) {
      throw new UnexpectedPimAnswerError(`The PIM listed more than ${MAX_LIST_PAGES} pages of catalogs`);
    }
    const next: string = link;
    const body = await clock.call(() => (pages === 0 ? pim.get(next) : pim.follow(next)));
    if (body === 'time') return 'time';
    const page = parseListPage(body, 'catalog list');
    named.push(...page.items.map(parseCatalog).filter((catalog) => catalog.name === name));
    link = page.items.length === 0 ? undefined : page.nextUrl;
  }
  return named.find((catalog) => catalog.enabled) ?? named[0];
}

function storedCatalogOf(connection: Connection, id: string): StoredCatalog {
  return {
    id,
    name: connection.catalogName ?? '',
    enabled: connection.catalogEnabled ?? false,
    checkedAt: connection.catalogCheckedAt ?? '',
  };
}

/** The step's time: a call to the PIM starts only when it can end before the deadline. */
class StepClock {
  constructor(
    private readonly now: () => Date,
    private readonly input: EnsureCatalogInput,
  ) {}

  nowMs(): number {
    return this.now().getTime();
  }

  nowIso(): string {
    return this.now().toISOString();
  }

  leftMs(): number {
    return this.input.deadline - this.nowMs();
  }

  /** Runs one call to the PIM (at most one call's time); `time` when that no longer fits before the deadline. */
  async call<T>(calls: () => Promise<T>): Promise<T | 'time'> {
    if (this.leftMs() < this.input.callTimeoutMs) return 'time';
    return calls();
  }

  outOfTime(): EnsuredCatalog {
    return { kind: 'unfinished', why: 'time', reason: 'the PIM took longer than the catalog step may wait' };
  }
}
