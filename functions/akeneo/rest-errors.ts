import { withoutControlCharacters } from '../core/plain-text';

/** The PIM refused the token (401): the app was disconnected, or the token was replaced by a new connection. */
export class AccessRevokedError extends Error {
  readonly code = 'access_revoked';
  constructor(readonly reason: string) {
    super(`The PIM refused the access token: ${reason}`);
    this.name = 'AccessRevokedError';
  }
}

/** The PIM refused the call for lack of permission (403): a scope the app needs is not granted. */
export class ScopeMissingError extends Error {
  readonly code = 'scope_missing';
  constructor(readonly reason: string) {
    super(`The PIM refused the call: ${reason}`);
    this.name = 'ScopeMissingError';
  }
}

/** The PIM kept failing (5xx, timeouts, 429 beyond the retries): the message fails and SQS retries it later. */
export class PimUnavailableError extends Error {
  readonly code = 'pim_unavailable';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PimUnavailableError';
  }
}

/**
 * The PIM asked for a wait (429, or a backoff after a failure) that would end after the caller's time is up: the
 * caller saves where it is and continues in another invocation, instead of sleeping until Lambda stops it.
 */
export class RetryBeyondTimeLeftError extends Error {
  readonly code = 'retry_beyond_time_left';
  constructor(
    readonly status: number | 'network',
    /** The wait the retry needed, after the cap. */
    readonly waitMs: number,
  ) {
    super(`The PIM asked for a wait of ${Math.ceil(waitMs / 1000)} s (${status}), more than the time left`);
    this.name = 'RetryBeyondTimeLeftError';
  }
}

/**
 * An answer larger than a page may be (its bytes, or the objects its JSON would build): the worker's heap is sized
 * for pages up to those limits, so it is refused before it is parsed. Retrying would meet the same page.
 */
export class PageTooLargeError extends Error {
  readonly code = 'page_too_large';
  constructor(message: string) {
    super(message);
    this.name = 'PageTooLargeError';
  }
}

/** An answer no Akeneo PIM gives: another 4xx, a body that is not the expected JSON, a link to another host. */
export class UnexpectedPimAnswerError extends Error {
  readonly code = 'unexpected_pim_answer';
  constructor(message: string) {
    super(message);
    this.name = 'UnexpectedPimAnswerError';
  }
}

/**
 * The PIM's `message` from an error body, short, single-line and without control characters: it goes into the
 * connection's status, which `npm run pim -- status` and `npm run sync` print to a terminal.
 */
export function pimMessage(body: string, fallback: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    const plain = typeof message === 'string' ? withoutControlCharacters(message).replace(/\s+/g, ' ').trim() : '';
    if (plain !== '') return plain.slice(0, 300);
  } catch {
    // Not JSON: the fallback says what happened.
  }
  return fallback;
}
