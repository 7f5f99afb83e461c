import type { CallSlots } from '../adapters/call-slots';
import type { ConnectionAccessStore } from '../adapters/connection-store';
import type { TokenCipher } from '../adapters/token-cipher/interface';
import type { RetryEvent } from '../akeneo/rest-client';
import { InvalidPimRequestError } from '../akeneo/rest-errors';
import type { RetryPolicy } from '../core/backoff';
import type { Connection } from '../core/connection';
import { checkStoredLink, pimBaseUrl } from '../core/pim-base-url';
import type { PimUrlPolicy } from '../core/pim-url';
import { PimUrlMismatchError } from '../core/sync-errors';
import { PimClient } from './pim-client';
import type { InactiveStatus, PimAccessRefusal } from './refusal';

/** A ready client, or why there is none. */
export type PimOpening = { readonly status: 'ready'; readonly pim: PimClient } | PimAccessRefusal;

/** What the work given to `withPim` returned, or why the PIM could not be called (before or during the work). */
export type PimWorkOutcome<T> = { readonly status: 'done'; readonly value: T } | PimAccessRefusal;

export interface PimRetryEvent extends RetryEvent {
  readonly pimHost: string;
}

export interface PimAccessDeps {
  /** The Connections table: consistent reads, and the conditional status writes. */
  readonly store: ConnectionAccessStore;
  readonly cipher: Pick<TokenCipher, 'decrypt'>;
  /** Where a token may be sent: https only on AWS; locally, http too for loopback PIMs. */
  readonly pimUrlPolicy: PimUrlPolicy;
  /** The connections' call slots, shared by every client this entry point opens (and every other function's). */
  readonly callSlots: CallSlots;
  /** When a status change happened, for the connection's `statusChangedAt`. */
  readonly now: () => Date;
  readonly retry?: RetryPolicy;
  /** One call, from connecting to the last byte. */
  readonly timeoutMs?: number;
  /** Told of each wait before a retry, with the PIM it is for. */
  readonly onRetry?: (event: PimRetryEvent) => void;
}

export interface OpenOptions {
  /**
   * How long the caller can still afford to wait: a retry that would wait longer fails with
   * `RetryBeyondTimeLeftError` instead of sleeping (a Lambda's remaining time, less what it keeps to finish).
   */
  readonly waitBudgetMs?: () => number;
  /**
   * Links the caller kept in the connection and will follow (a sync checkpoint's next page): each must lead to the
   * PIM the token is sealed to, or the connection is refused and marked `pim_url_mismatch`, like a tampered `pimUrl`.
   */
  readonly storedLinks?: (connection: Connection) => readonly string[];
}

/**
 * The one way from a PIM host to a ready Akeneo client, for the sync and for every downstream worker: reads the
 * connection consistently, checks it is active, takes the PIM's base URL from the host its token is sealed to (a
 * stored URL naming another host is refused and marks the connection `pim_url_mismatch`), decrypts the token with
 * that host as its encryption context, and hands out a `PimClient` that keeps the connection's books on 401 and 403.
 * What cannot be called comes back as a value (`PimAccessRefusal`), not an exception.
 */
export class PimAccess {
  constructor(private readonly deps: PimAccessDeps) {}

  /** A ready client for the PIM (its host, or its connection as already read), or why there is none. Close it. */
  async open(target: string | Connection, options: OpenOptions = {}): Promise<PimOpening> {
    const connection = typeof target === 'string' ? await this.read(target) : target;
    if (connection === undefined) {
      return { status: 'not_connected', reason: `No connection is stored for ${target}: it never connected the app` };
    }
    if (connection.status !== 'active') {
      return { status: connection.status, reason: connection.statusReason ?? `The connection is ${connection.status}` };
    }
    let baseUrl: string;
    try {
      baseUrl = pimBaseUrl(connection.pimHost, connection.pimUrl, this.deps.pimUrlPolicy);
      for (const link of options.storedLinks?.(connection) ?? []) checkStoredLink(connection.pimHost, link, baseUrl);
    } catch (error) {
      // Retrying would meet the same row: the connection is marked instead, and nothing is decrypted or sent.
      if (!(error instanceof PimUrlMismatchError)) throw error;
      const marked = await this.markInactive(connection, 'pim_url_mismatch', error.message);
      return { status: 'pim_url_mismatch', reason: error.message, marked };
    }
    if (connection.encryptedToken === undefined) {
      return { status: 'revoked', reason: connection.statusReason ?? 'The connection holds no token' };
    }
    const accessToken = await this.deps.cipher.decrypt(connection.encryptedToken, connection.pimHost);
    const pim = this.clientFor(connection, baseUrl, accessToken, options);
    return { status: 'ready', pim };
  }

  /**
   * Runs `work` with a client for a token the caller has just received and stored (the callback, right after the
   * code exchange): no read of the table and no decryption, but the same URL policy, call slots and 401/403
   * bookkeeping as `withPim`, over `connection` (the stored item that holds that token).
   */
  async withFreshToken<T>(
    connection: Connection,
    accessToken: string,
    work: (pim: PimClient) => Promise<T>,
    options: Pick<OpenOptions, 'waitBudgetMs'> = {},
  ): Promise<PimWorkOutcome<T>> {
    const baseUrl = pimBaseUrl(connection.pimHost, connection.pimUrl, this.deps.pimUrlPolicy);
    return this.running(this.clientFor(connection, baseUrl, accessToken, options), work);
  }

  /**
   * Opens the PIM, runs `work` with its client, and closes it however the work ends. A refusal, at the open or met by
   * the work (the PIM's 401 or 403), comes back as the `PimAccessRefusal`; anything else the work throws is thrown.
   */
  async withPim<T>(
    target: string | Connection,
    work: (pim: PimClient) => Promise<T>,
    options: OpenOptions = {},
  ): Promise<PimWorkOutcome<T>> {
    const opening = await this.open(target, options);
    if (opening.status !== 'ready') return opening;
    return this.running(opening.pim, work);
  }

  /** Runs `work` with `pim`, and closes it however the work ends; a refusal it met comes back as a value. */
  private async running<T>(pim: PimClient, work: (pim: PimClient) => Promise<T>): Promise<PimWorkOutcome<T>> {
    try {
      return { status: 'done', value: await work(pim) };
    } catch (error) {
      const refusal = pim.refusalOf(error);
      if (refusal) return refusal;
      throw error;
    } finally {
      await pim.close();
    }
  }

  private clientFor(
    connection: Connection,
    baseUrl: string,
    accessToken: string,
    options: Pick<OpenOptions, 'waitBudgetMs'>,
  ): PimClient {
    const { retry, timeoutMs, onRetry } = this.deps;
    return new PimClient({
      connection,
      baseUrl,
      accessToken,
      callSlots: this.deps.callSlots,
      markInactive: (status, reason) => this.markInactive(connection, status, reason),
      rest: {
        ...(retry ? { retry } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
        ...(options.waitBudgetMs ? { waitBudgetMs: options.waitBudgetMs } : {}),
        ...(onRetry ? { onRetry: (event: RetryEvent) => onRetry({ ...event, pimHost: connection.pimHost }) } : {}),
      },
    });
  }

  private async read(pimHost: string): Promise<Connection | undefined> {
    if (pimHost.trim() === '')
      throw new InvalidPimRequestError('A PIM host is needed (such as my-pim.cloud.akeneo.com)');
    return this.deps.store.get(pimHost);
  }

  /** Writes the status only over the token version this access read: a reconnect that happened since is kept. */
  private async markInactive(connection: Connection, status: InactiveStatus, reason: string): Promise<boolean> {
    const { store } = this.deps;
    return store.markInactive(connection.pimHost, {
      status,
      reason,
      tokenVersion: connection.tokenVersion,
      at: this.deps.now().toISOString(),
    });
  }
}
