import type { CallSlots } from '../adapters/call-slots';
import { type ListPage, parseListPage } from '../akeneo/list-page';
import { type ProductLine, type ProductWriteResult, writeProducts } from '../akeneo/product-writes';
import { AkeneoRestClient, type AkeneoRestClientOptions } from '../akeneo/rest-client';
import { AccessRevokedError, InvalidPimRequestError, ScopeMissingError } from '../akeneo/rest-errors';
import type { Connection } from '../core/connection';
import { UnexpectedPimAnswerError } from '../core/errors';
import { MAX_CONCURRENT_CALLS_PER_CONNECTION } from '../core/fair-use';
import { PaginationGuard } from '../core/pagination-guard';
import type { PimAccessRefusal } from './refusal';

/** Query parameters of a list: an object (`search`) is sent as its JSON. */
export type ListQuery = Readonly<Record<string, string | number | boolean | object>>;

/** One page of a list, with the URL it was read from. */
export interface PimListPage {
  readonly url: string;
  readonly items: readonly unknown[];
}

export interface ReadOptions {
  /** Sees the start of a successful answer while it arrives; returns true once it has seen enough. */
  readonly peek?: (head: string) => boolean;
}

/** What the PIM's 401 or 403 makes of the connection. */
type RefusedStatus = 'revoked' | 'scope_missing';

export interface PimClientOptions {
  /** The connection as read: the token version it holds is the one a 401 or a 403 is written over. */
  readonly connection: Connection;
  /** The PIM's origin, from the host the token is sealed to. */
  readonly baseUrl: string;
  readonly accessToken: string;
  /** The connection's call slots, shared with every other caller of the PIM. */
  readonly callSlots: CallSlots;
  /** Writes the status on the connection, over the token version it was read with; says whether it was written. */
  readonly markInactive: (status: RefusedStatus, reason: string) => Promise<boolean>;
  /** Retries, timeouts and waits, as the REST client takes them. */
  readonly rest: Omit<AkeneoRestClientOptions, 'pimUrl' | 'accessToken' | 'callSlots'>;
}

/**
 * A ready client of one connected PIM: reads, lists and writes products within the connection's call slots, and
 * keeps the connection's books. The first 401 marks the connection `revoked` (403: `scope_missing`) over the token
 * version it was opened with, and from then on every call fails at once with the same typed error
 * (`AccessRevokedError`, `ScopeMissingError`), without a request. Close it when done (or use `PimAccess.withPim`).
 */
export class PimClient {
  readonly pimHost: string;
  readonly baseUrl: string;
  /** The connection as read when the client was opened (its sync state, scopes, who connected). */
  readonly connection: Connection;
  private readonly rest: AkeneoRestClient;
  private refused?: { readonly status: RefusedStatus; readonly reason: string; readonly marking: Promise<boolean> };

  constructor(private readonly options: PimClientOptions) {
    this.pimHost = options.connection.pimHost;
    this.baseUrl = options.baseUrl;
    this.connection = options.connection;
    this.rest = new AkeneoRestClient({
      ...options.rest,
      pimUrl: options.baseUrl,
      accessToken: options.accessToken,
      // Checked again inside the slot: a call that queued for a slot before the refusal makes no request either.
      callSlots: {
        run: (pimHost, call) =>
          options.callSlots.run(pimHost, async () => {
            this.throwIfRefused();
            try {
              return await call();
            } catch (error) {
              this.noteRefusal(error);
              throw error;
            }
          }),
      },
    });
  }

  /** One resource: `path` is a path of the PIM (`/api/rest/v1/products-uuid/<uuid>`) or a URL on its origin. */
  async get(path: string, options: ReadOptions = {}): Promise<unknown> {
    return this.read(this.pathOnPim(path), options);
  }

  /** A link the PIM gave (a `_links` href, absolute or relative to the PIM): refused if it leads to another host. */
  async follow(link: string, options: ReadOptions = {}): Promise<unknown> {
    return this.read(this.linkOnPim(link), options);
  }

  /** The same, answering the JSON's text as it came: for a page the caller parses item by item. */
  async followText(link: string, { peek }: ReadOptions = {}): Promise<string> {
    const url = this.linkOnPim(link);
    return this.guarded(() => this.rest.getJsonText(url, peek));
  }

  /**
   * Creates a resource: POST `body` as JSON to `path` (a path of the PIM), and return the PIM's answer. Sent again
   * only after a 429: a POST that failed otherwise may have been applied (`PimUnavailableError`), so look before
   * creating again.
   */
  async post(path: string, body: object): Promise<unknown> {
    const url = this.pathOnPim(path);
    return this.guarded(() => this.rest.postJson(url, body));
  }

  /**
   * The pages of a list, read one after the other by search_after (`pagination_type=search_after&limit=100` unless
   * `query` says otherwise), following `_links.next` only on the PIM's origin; a pagination that loops or never ends
   * stops with `PaginationLoopError` or `PaginationLimitError`.
   */
  async *list(path: string, query: ListQuery = {}): AsyncGenerator<PimListPage, void, undefined> {
    const guard = new PaginationGuard(this.pimHost);
    let url: string | undefined = withQuery(this.pathOnPim(path), query);
    while (url !== undefined) {
      guard.visit(url);
      const page: ListPage = parseListPage(await this.read(url, {}));
      yield { url, items: page.items };
      url = page.nextUrl === undefined ? undefined : this.linkOnPim(page.nextUrl);
    }
  }

  /**
   * Creates or updates products with `PATCH /api/rest/v1/products-uuid`: calls of at most 100 lines, as many at once
   * as the connection's slots allow, each answer read line by line as it streams. One result per line given, in
   * order (`created`, `updated`, `refused` with the PIM's status and message, or `unknown` when the answer broke off
   * before the line's result: send those again). A call refused as a whole ends the write with its typed error
   * (`PayloadTooLargeError`, `UnsupportedMediaTypeError`, `AccessRevokedError`, `ScopeMissingError`, or
   * `PimUnavailableError` for a PIM that kept failing) once the calls under way are done: lines of the other calls may
   * have been applied, and sending them again is safe. Lines that are not JSON objects are refused before anything is
   * sent (`InvalidPimRequestError`).
   */
  patchProducts(lines: readonly ProductLine[]): Promise<ProductWriteResult[]> {
    const url = `${this.baseUrl}/api/rest/v1/products-uuid`;
    return writeProducts(lines, (body, onLine) => this.guarded(() => this.rest.patchCollection(url, body, onLine)), {
      lanes: MAX_CONCURRENT_CALLS_PER_CONNECTION,
    });
  }

  /**
   * Tells the PIM the app now needs `scopes` (the FULL list it requests, granted ones included):
   * `POST /connect/apps/v1/scopes/update`. Akeneo changes no scope; it flags the app and notifies the users who can
   * manage apps, whose *Open app* then runs a new authorization with the wider consent.
   */
  notifyScopesUpdate(scopes: readonly string[]): Promise<void> {
    const url = new URL('/connect/apps/v1/scopes/update', `${this.baseUrl}/`);
    url.searchParams.set('scopes', scopes.join(' '));
    return this.guarded(() => this.rest.postForAcknowledgement(url.toString()));
  }

  /** The refusal `error` stands for, when this client threw it: for `PimAccess.withPim` to return it as a value. */
  refusalOf(error: unknown): PimAccessRefusal | undefined {
    const ours = error instanceof AccessRevokedError || error instanceof ScopeMissingError;
    if (!ours || error.marked === undefined || this.refused === undefined) return undefined;
    return { status: this.refused.status, reason: this.refused.reason, marked: error.marked };
  }

  async close(): Promise<void> {
    await this.rest.close();
  }

  private read(url: string, { peek }: ReadOptions): Promise<unknown> {
    return this.guarded(() => this.rest.getJson(url, peek));
  }

  /** Runs one call of the REST client, and turns a refusal of the connection into its final, typed error. */
  private async guarded<T>(call: () => Promise<T>): Promise<T> {
    try {
      this.throwIfRefused();
      return await call();
    } catch (error) {
      const unmarked =
        (error instanceof AccessRevokedError || error instanceof ScopeMissingError) && error.marked === undefined;
      if (!unmarked || this.refused === undefined) throw error;
      const { status, reason, marking } = this.refused;
      const marked = await marking;
      throw status === 'revoked' ? new AccessRevokedError(reason, marked) : new ScopeMissingError(reason, marked);
    }
  }

  /** Records the first 401 or 403 and starts writing it on the connection, before the call's slot is freed. */
  private noteRefusal(error: unknown): void {
    if (this.refused !== undefined) return;
    const status =
      error instanceof AccessRevokedError
        ? 'revoked'
        : error instanceof ScopeMissingError
          ? 'scope_missing'
          : undefined;
    if (status === undefined) return;
    const { reason } = error as AccessRevokedError | ScopeMissingError;
    const marking = this.options.markInactive(status, reason);
    // Awaited by every call that meets the refusal; a failed write fails those calls, never goes unhandled.
    marking.catch(() => undefined);
    this.refused = { status, reason, marking };
  }

  private throwIfRefused(): void {
    if (this.refused === undefined) return;
    const { status, reason } = this.refused;
    throw status === 'revoked' ? new AccessRevokedError(reason) : new ScopeMissingError(reason);
  }

  /** A path or URL the caller gave, on the PIM: anything that resolves to another origin is refused, unsent. */
  private pathOnPim(path: string): string {
    const url = resolveOn(this.baseUrl, path);
    if (url?.origin !== this.baseUrl) {
      throw new InvalidPimRequestError(
        `${url ? url.origin : 'That path'} is not ${this.baseUrl}: a PIM's token is only ever sent to that PIM`,
      );
    }
    return url.toString();
  }

  /** A link the PIM gave: resolved against the PIM (Akeneo CE writes relative next links), never followed elsewhere. */
  private linkOnPim(link: string): string {
    const url = resolveOn(this.baseUrl, link);
    if (url?.origin !== this.baseUrl) {
      throw new UnexpectedPimAnswerError(`The PIM pointed to another host (${url ? url.host : 'not a URL'})`);
    }
    return url.toString();
  }
}

function resolveOn(baseUrl: string, path: string): URL | undefined {
  try {
    return new URL(path, `${baseUrl}/`);
  } catch {
    return undefined;
  }
}

function withQuery(url: string, query: ListQuery): string {
  const target = new URL(url);
  const params: ListQuery = { pagination_type: 'search_after', limit: 100, ...query };
  for (const [name, value] of Object.entries(params)) {
    if (target.searchParams.has(name) && !(name in query)) continue;
    target.searchParams.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return target.toString();
}
