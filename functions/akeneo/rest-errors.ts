import { AppError } from '../core/errors';
import { withoutControlCharacters } from '../core/plain-text';

/*
 * What the PIM's REST API can answer that a sync must act on. A PIM that does not answer, or answers what no
 * Akeneo PIM does, is `PimUnavailableError` or `UnexpectedPimAnswerError` (core/errors.ts), as in the connection flow.
 */

/**
 * The PIM refused the token (401): the app was disconnected, or the token was replaced by a new connection. From a
 * client of the entry point (functions/pim-access/), `marked` says whether the connection was marked `revoked` (false:
 * a reconnect had replaced the token meanwhile, and the new one is left active).
 */
export class AccessRevokedError extends AppError {
  readonly code = 'access_revoked';
  constructor(
    readonly reason: string,
    readonly marked?: boolean,
  ) {
    super(`The PIM refused the access token: ${reason}`);
  }
}

/**
 * The PIM refused the call for lack of permission (403): a scope the app needs is not granted. `marked` as for
 * `AccessRevokedError`, with the status `scope_missing`.
 */
export class ScopeMissingError extends AppError {
  readonly code = 'scope_missing';
  constructor(
    readonly reason: string,
    readonly marked?: boolean,
  ) {
    super(`The PIM refused the call: ${reason}`);
  }
}

/**
 * The PIM refused a collection PATCH as a whole for its size: 413 (`Too many resources to process, 100 is the maximum
 * allowed.`, on a PIM configured for fewer), or the 403 that Akeneo SaaS's front answers for an oversized body (told
 * from the PIM's own 403 by its body: not Akeneo's JSON error). Nothing of that call was applied; send fewer or
 * smaller lines per call.
 */
export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
  constructor(
    readonly status: 413 | 403,
    readonly reason: string,
  ) {
    super(`The PIM refused the write as too large (${status}): ${reason}`);
  }
}

/** The PIM refused a write for its Content-Type (415): nothing was applied. */
export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'unsupported_media_type';
  constructor(readonly reason: string) {
    super(`The PIM refused the write's Content-Type (415): ${reason}`);
  }
}

/** What the caller asked of a PIM cannot be sent (a path on another host, a line that is not a JSON object): nothing was sent. */
export class InvalidPimRequestError extends AppError {
  readonly code = 'invalid_pim_request';
}

/**
 * The PIM asked for a wait (429, or a backoff after a failure) that would end after the caller's time is up, or
 * (status `call-slots`) every one of the PIM's call slots stayed taken by other calls until the caller's time was
 * up: the caller saves where it is and continues in another invocation, instead of sleeping until Lambda stops it.
 */
export class RetryBeyondTimeLeftError extends AppError {
  readonly code = 'retry_beyond_time_left';
  constructor(
    readonly status: number | 'network' | 'call-slots',
    /** The wait the retry needed, after the cap. */
    readonly waitMs: number,
  ) {
    super(
      status === 'call-slots'
        ? "Every one of the PIM's call slots stayed taken by other calls until the time left ran out"
        : `The PIM asked for a wait of ${Math.ceil(waitMs / 1000)} s (${status}), more than the time left`,
    );
  }
}

/**
 * The PIM answered 404: what was asked for does not exist, or is not this app's (another app's catalog answers 404
 * too). For a catalog of the app, it was deleted in the PIM.
 */
export class PimNotFoundError extends AppError {
  readonly code = 'pim_not_found';
  constructor(readonly reason: string) {
    super(`The PIM answered 404: ${reason}`);
  }
}

/**
 * A catalog's products answered HTTP 200 with an error instead of a page: the PIM user disabled the catalog (or the
 * PIM did, its selection having become invalid). Not an empty page: the sync reads nothing more, and resumes once
 * the catalog is enabled. `reason` is the PIM's message.
 */
export class CatalogDisabledError extends AppError {
  readonly code = 'catalog_disabled';
  constructor(readonly reason: string) {
    super(`The catalog is disabled in the PIM: ${reason}`);
  }
}

/**
 * An answer larger than a page may be (its bytes, or the objects its JSON would build): the worker's heap is sized
 * for pages up to those limits, so it is refused before it is parsed. Retrying would meet the same page.
 */
export class PageTooLargeError extends AppError {
  readonly code = 'page_too_large';
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
