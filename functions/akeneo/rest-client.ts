import { type CallSlots, InProcessCallSlots } from '../adapters/call-slots';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  MAX_RETRY_WAIT_MS,
  type RetryPolicy,
  retryAfterMs,
} from '../core/backoff';
import { PimUnavailableError, UnexpectedPimAnswerError } from '../core/errors';
import { MAX_CONCURRENT_CALLS_PER_CONNECTION, PIM_CALL_TIMEOUT_MS } from '../core/fair-use';
import { JsonContainerCounter } from '../core/json-containers';
import { MAX_PAGE_BYTES, MAX_PAGE_CONTAINERS } from '../core/page-budget';
import { NdjsonLineReader } from './ndjson-lines';
import { parsePimJson } from './pim-json';
import { type PimAnswer, PimTransport } from './pim-transport';
import {
  AccessRevokedError,
  PageTooLargeError,
  PayloadTooLargeError,
  PimNotFoundError,
  pimMessage,
  RetryBeyondTimeLeftError,
  ScopeMissingError,
  UnsupportedMediaTypeError,
} from './rest-errors';
import { AnswerTooLargeError } from './transport-error';

export interface AkeneoRestClientOptions {
  readonly pimUrl: string;
  readonly accessToken: string;
  /**
   * Where the connection's 4 call slots are kept. @default - slots of this client alone (`InProcessCallSlots`): right
   * only when nothing else calls this PIM at the same time
   */
  readonly callSlots?: CallSlots;
  readonly retry?: RetryPolicy;
  /**
   * One call, from connecting to the last byte. @default PIM_CALL_TIMEOUT_MS, also the most it may be: a call slot's
   * lease (shared with other function instances) outlasts that long a call, and no longer.
   */
  readonly timeoutMs?: number;
  /**
   * How long the caller can still afford to wait (milliseconds). A retry whose wait is longer is not slept through:
   * `getJson` fails with `RetryBeyondTimeLeftError`, and the caller continues later. Unbounded when absent.
   */
  readonly waitBudgetMs?: () => number;
  /** Tests pass a fake clock; everything else uses the real one. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Told of each wait, for progress output and logs. */
  readonly onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  readonly status: number | 'network';
  /** 1 for the first retry of a call. */
  readonly attempt: number;
  /** The most retries this kind of failure gets before the call fails. */
  readonly maxRetries: number;
  /** The wait before this retry, capped at `MAX_RETRY_WAIT_MS`. */
  readonly delayMs: number;
  /** What the PIM's `Retry-After` asked for, when the cap shortened it. */
  readonly requestedMs?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The collection PATCH's media type, for the request and its streamed answer. */
export const COLLECTION_CONTENT_TYPE = 'application/vnd.akeneo.collection+json';

/** A collection PATCH answers one short line per line sent (100 at most): far more is not Akeneo answering. */
const MAX_COLLECTION_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * Calls one PIM's REST API with one connection's token: within Akeneo's fair-use limits, retrying what can be
 * retried, and turning 401 and 403 into errors that say what they mean for the connection.
 */
export class AkeneoRestClient {
  private readonly origin: string;
  private readonly pimHost: string;
  private readonly slots: CallSlots;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly transport = new PimTransport({ maxSockets: MAX_CONCURRENT_CALLS_PER_CONNECTION, keepAlive: true });

  constructor(private readonly options: AkeneoRestClientOptions) {
    if (options.timeoutMs !== undefined && options.timeoutMs > PIM_CALL_TIMEOUT_MS) {
      throw new RangeError(`A call to a PIM times out after ${PIM_CALL_TIMEOUT_MS} ms at most (its slot's lease)`);
    }
    this.origin = new URL(options.pimUrl).origin;
    this.pimHost = new URL(options.pimUrl).host;
    this.slots = options.callSlots ?? new InProcessCallSlots();
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  /**
   * GET a JSON resource of this PIM. The token is only ever sent to the PIM's own origin. `peek` sees the start of
   * each successful answer while it arrives (see `PimTransport`), before the whole of it is read and parsed.
   */
  async getJson(url: string, peek?: (head: string) => boolean): Promise<unknown> {
    this.checkOrigin(url);
    return this.retrying(() => this.attemptGet(url, peek, parsePimJson));
  }

  /** The same, answering the JSON's text as it came, for a caller that parses it its own way (a page, item by item). */
  async getJsonText(url: string, peek?: (head: string) => boolean): Promise<string> {
    this.checkOrigin(url);
    return this.retrying(() => this.attemptGet(url, peek, (text) => text));
  }

  /**
   * PATCH a collection (`application/vnd.akeneo.collection+json`: NDJSON, one resource per line) and hand each line
   * of the PIM's answer to `onLine` as it arrives. A call that fails before any of its answer came (429, 5xx, a
   * network failure) is retried as a GET is; once some of it has come, it is never sent again: an answer that breaks
   * off resolves like a whole one, and the lines without a result are for the caller to tell apart. 413, 415 and SaaS's
   * 403 for an oversized body are `PayloadTooLargeError` and `UnsupportedMediaTypeError`.
   */
  async patchCollection(url: string, body: string, onLine: (line: string) => void): Promise<void> {
    this.checkOrigin(url);
    await this.retrying(() => this.attemptPatch(url, body, onLine));
  }

  /**
   * POST a JSON body (a resource to create) and return the PIM's JSON answer (200 or 201). Only a 429 is sent again:
   * the PIM did nothing with it. A 5xx or a network failure may come after the PIM created the resource, so it is
   * never sent again: it fails with `PimUnavailableError`, and the caller looks before it creates again.
   */
  async postJson(url: string, body: object): Promise<unknown> {
    this.checkOrigin(url);
    return this.retrying(() => this.attemptPost(url, JSON.stringify(body)));
  }

  /**
   * POST without a body, for an answer that is only an acknowledgement (`scopes/update` answers `"Ok"`). Retried as a
   * GET is. A 403 here is the PIM refusing this call, not a scope the sync lacks: `UnexpectedPimAnswerError`, so the
   * connection is not marked.
   */
  async postForAcknowledgement(url: string): Promise<void> {
    this.checkOrigin(url);
    await this.retrying(() => this.attemptAcknowledgedPost(url));
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  private checkOrigin(url: string): void {
    if (new URL(url).origin !== this.origin) {
      throw new UnexpectedPimAnswerError(`The PIM pointed to another host (${new URL(url).host})`);
    }
  }

  /** Runs attempts in the connection's call slots until one answers, waiting between them as the policy says. */
  private async retrying<T>(attempt: () => Promise<Attempt<T>>): Promise<T> {
    let rateLimited = 0;
    let failed = 0;
    for (;;) {
      const outcome = await this.slots.run(this.pimHost, attempt, { waitBudgetMs: this.options.waitBudgetMs });
      if (outcome.kind === 'ok') return outcome.body;
      const retryable = outcome.kind === 'rate-limited' ? rateLimited++ : failed++;
      const maxRetries =
        outcome.kind === 'rate-limited' ? this.retry.maxRateLimitRetries : this.retry.maxServerErrorRetries;
      if (retryable >= maxRetries) {
        throw new PimUnavailableError(`The PIM kept failing (${outcome.status}) after ${retryable} retries`, {
          cause: outcome.cause,
        });
      }
      const wanted = outcome.retryAfterMs ?? backoffDelayMs(this.retry, retryable, this.random());
      const delayMs = Math.min(wanted, MAX_RETRY_WAIT_MS);
      if (this.options.waitBudgetMs && delayMs > this.options.waitBudgetMs()) {
        throw new RetryBeyondTimeLeftError(outcome.status, delayMs);
      }
      this.options.onRetry?.({
        status: outcome.status,
        attempt: retryable + 1,
        maxRetries,
        delayMs,
        ...(wanted > delayMs ? { requestedMs: wanted } : {}),
      });
      await this.sleep(delayMs);
    }
  }

  private tooLarge(url: string, cause: AnswerTooLargeError): PageTooLargeError {
    return new PageTooLargeError(
      `${new URL(url).host} answered ${new URL(url).pathname} with ${pageLimit(cause.limit)}, ` +
        'more than one page may hold in the sync worker; it was not read',
    );
  }

  private async attemptGet<T>(
    url: string,
    peek: ((head: string) => boolean) | undefined,
    decode: (text: string) => T,
  ): Promise<Attempt<T>> {
    let response: PimAnswer;
    const objects = new JsonContainerCounter();
    try {
      response = await this.transport.get({
        url,
        headers: { authorization: `Bearer ${this.options.accessToken}`, accept: 'application/json' },
        timeoutMs: this.options.timeoutMs ?? PIM_CALL_TIMEOUT_MS,
        maxBytes: MAX_PAGE_BYTES,
        // Counted as the bytes arrive: a page of tiny objects costs the heap far more than its size says.
        onChunk: (chunk) => {
          if (objects.add(chunk) > MAX_PAGE_CONTAINERS) throw new AnswerTooLargeError('objects');
        },
        ...(peek ? { peek } : {}),
      });
    } catch (cause) {
      if (cause instanceof AnswerTooLargeError) throw this.tooLarge(url, cause);
      return { kind: 'failed', status: 'network', cause };
    }
    if (response.status === 200) return { kind: 'ok', body: decode(response.body) };
    return this.failedAnswer(response, { write: false });
  }

  private async attemptPost(url: string, body: string): Promise<Attempt<unknown>> {
    const notSentAgain = 'not sent again, as the PIM may have applied it';
    let response: PimAnswer;
    try {
      response = await this.transport.send({
        method: 'POST',
        url,
        headers: {
          authorization: `Bearer ${this.options.accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body,
        timeoutMs: this.options.timeoutMs ?? PIM_CALL_TIMEOUT_MS,
        maxBytes: MAX_COLLECTION_ANSWER_BYTES,
      });
    } catch (cause) {
      throw new PimUnavailableError(`The PIM did not answer a POST to ${new URL(url).pathname} (${notSentAgain})`, {
        cause,
      });
    }
    if (response.status === 200 || response.status === 201) return { kind: 'ok', body: parsePimJson(response.body) };
    if (response.status >= 500 || response.status === 408) {
      throw new PimUnavailableError(
        `The PIM answered ${response.status} to a POST to ${new URL(url).pathname} (${notSentAgain})`,
      );
    }
    return this.failedAnswer(response, { write: false });
  }
  private async attemptAcknowledgedPost(url: string): Promise<Attempt<void>> {
    let response: PimAnswer;
    try {
      response = await this.transport.send({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${this.options.accessToken}`, 'content-type': 'application/json' },
        timeoutMs: this.options.timeoutMs ?? PIM_CALL_TIMEOUT_MS,
        maxBytes: 64 * 1024,
      });
    } catch (cause) {
      return { kind: 'failed', status: 'network', cause };
    }
    if (response.status >= 200 && response.status < 300) return { kind: 'ok', body: undefined };
    if (response.status === 403) {
      throw new UnexpectedPimAnswerError(`The PIM refused the call (403): ${pimMessage(response.body, 'no message')}`);
    }
    return this.failedAnswer(response, { write: false });
  }

  private async attemptPatch(url: string, body: string, onLine: (line: string) => void): Promise<Attempt<void>> {
    const lines = new NdjsonLineReader();
    let answered = false;
    const hand = (texts: readonly string[]) => {
      for (const text of texts) {
        if (text.trim() === '') continue;
        answered = true;
        onLine(text);
      }
    };
    let response: PimAnswer;
    try {
      response = await this.transport.send({
        method: 'PATCH',
        url,
        headers: { authorization: `Bearer ${this.options.accessToken}`, 'content-type': COLLECTION_CONTENT_TYPE },
        body,
        timeoutMs: this.options.timeoutMs ?? 30_000,
        maxBytes: MAX_COLLECTION_ANSWER_BYTES,
        onChunk: (chunk, status) => {
          if (status === 200) hand(lines.push(chunk));
        },
      });
    } catch (cause) {
      // Akeneo writes the separator before each line, so the last line that came before the break has no newline
      // yet: it is handed over too (a line cut short is not JSON, and the caller's parse drops it).
      hand(lines.end());
      if (answered) return { kind: 'ok', body: undefined };
      return { kind: 'failed', status: 'network', cause };
    }
    if (response.status !== 200) return this.failedAnswer(response, { write: true });
    hand(lines.end());
    return { kind: 'ok', body: undefined };
  }

  /** What an answer other than 200 means: thrown when retrying cannot change it, returned when it may. */
  private failedAnswer(response: PimAnswer, { write }: { readonly write: boolean }): Attempt<never> {
    const { status, body } = response;
    if (status === 401) throw new AccessRevokedError(pimMessage(body, 'HTTP 401'));
    if (status === 403) {
      // Akeneo's own 403 (a permission the app lacks) is its JSON error; SaaS's front answers an oversized write with
      // a 403 of its own, before the PIM sees it.
      if (write && !isAkeneoError(body, 403)) {
        throw new PayloadTooLargeError(
          403,
          "a 403 that is not the PIM's own, as Akeneo SaaS answers an oversized body",
        );
      }
      throw new ScopeMissingError(pimMessage(body, 'HTTP 403'));
    }
    if (status === 404) throw new PimNotFoundError(pimMessage(body, 'HTTP 404'));
    if (write && status === 413) throw new PayloadTooLargeError(413, pimMessage(body, 'HTTP 413'));
    if (write && status === 415) throw new UnsupportedMediaTypeError(pimMessage(body, 'HTTP 415'));
    if (status === 429) {
      const wait = retryAfterMs(response.header('retry-after'), new Date());
      return { kind: 'rate-limited', status, retryAfterMs: wait };
    }
    if (status >= 500 || status === 408) return { kind: 'failed', status };
    throw new UnexpectedPimAnswerError(`The PIM answered ${status}: ${pimMessage(body, 'no message')}`);
  }
}

/** What the worker's heap can hold of one answer (see `functions/core/page-budget.ts`), in words. */
function pageLimit(limit: AnswerTooLargeError['limit']): string {
  return limit === 'bytes'
    ? `more than ${MAX_PAGE_BYTES / (1024 * 1024)} MiB`
    : `more than ${MAX_PAGE_CONTAINERS.toLocaleString('en-US')} objects and arrays`;
}

type Attempt<T> =
  | { readonly kind: 'ok'; readonly body: T }
  | { readonly kind: 'rate-limited'; readonly status: number; readonly retryAfterMs?: number; readonly cause?: never }
  | {
      readonly kind: 'failed';
      readonly status: number | 'network';
      readonly cause?: unknown;
      readonly retryAfterMs?: never;
    };

/** Whether an error body is Akeneo's own JSON error for `status` (`{"code": 403, "message": …}`). */
function isAkeneoError(body: string, status: number): boolean {
  try {
    const parsed = JSON.parse(body) as { code?: unknown } | null;
    return parsed?.code === status;
  } catch {
    return false;
  }
}
