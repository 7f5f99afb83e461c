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
import { type PimAnswer, PimTransport } from './pim-transport';
import {
  AccessRevokedError,
  PageTooLargeError,
  pimMessage,
  RetryBeyondTimeLeftError,
  ScopeMissingError,
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
    if (new URL(url).origin !== this.origin) {
      throw new UnexpectedPimAnswerError(`The PIM pointed to another host (${new URL(url).host})`);
    }
    let rateLimited = 0;
    let failed = 0;
    for (;;) {
      const outcome = await this.slots.run(this.pimHost, () => this.attempt(url, peek), {
        waitBudgetMs: this.options.waitBudgetMs,
      });
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

  async close(): Promise<void> {
    this.transport.close();
  }

  private tooLarge(url: string, cause: AnswerTooLargeError): PageTooLargeError {
    return new PageTooLargeError(
      `${new URL(url).host} answered ${new URL(url).pathname} with ${pageLimit(cause.limit)}, ` +
        'more than one page may hold in the sync worker; it was not read',
    );
  }

  private async attempt(url: string, peek: ((head: string) => boolean) | undefined): Promise<Attempt> {
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
    const { body, status } = response;
    if (status === 200) return { kind: 'ok', body: parseJson(body) };
    if (status === 401) throw new AccessRevokedError(pimMessage(body, 'HTTP 401'));
    if (status === 403) throw new ScopeMissingError(pimMessage(body, 'HTTP 403'));
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

type Attempt =
  | { readonly kind: 'ok'; readonly body: unknown }
  | { readonly kind: 'rate-limited'; readonly status: number; readonly retryAfterMs?: number; readonly cause?: never }
  | {
      readonly kind: 'failed';
      readonly status: number | 'network';
      readonly cause?: unknown;
      readonly retryAfterMs?: never;
    };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UnexpectedPimAnswerError('The PIM answered with something that is not JSON');
  }
}
