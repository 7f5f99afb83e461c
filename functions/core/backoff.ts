/** How a call to a PIM is retried: 429 waits as told, 5xx and timeouts back off, both a bounded number of times. */
export interface RetryPolicy {
  /** First backoff, doubled at each attempt, with full jitter. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Retries after a 429, each waiting `Retry-After` (or backing off when the PIM gives none). */
  readonly maxRateLimitRetries: number;
  /** Retries after a 5xx or a network failure. */
  readonly maxServerErrorRetries: number;
}

/**
 * The longest one wait before a retry may be (milliseconds), whatever `Retry-After` asks: well inside what a fresh
 * worker invocation can afford (5 minutes less its 45-second reserve), so one wait never outlasts a run step.
 */
export const MAX_RETRY_WAIT_MS = 60_000;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRateLimitRetries: 8,
  maxServerErrorRetries: 4,
};

/** Exponential backoff with full jitter: a random delay in [0, min(max, base × 2^attempt)]. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random * ceiling);
}

/** `Retry-After` as Akeneo sends it (seconds), or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: Date): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}
