/**
 * What the connection flow (the activate and callback handlers) can end with: what a browser can meet. Each code
 * has exactly one page (`http/error-responses.ts`, checked by the type checker).
 */
export const BROWSER_ERROR_CODES = [
  // The request, and the PIM's registration with the app
  'invalid_pim_url',
  'pim_not_registered',
  'malformed_credentials',
  'missing_parameter',
  'authorization_denied',
  // The authorization state and the browser it was given to
  'unknown_state',
  'expired_state',
  'state_already_used',
  'browser_mismatch',
  // The PIM's answers: its token endpoint and OpenID key (the sync's REST calls end with the last two as well)
  'pim_rejected_credentials',
  'code_expired',
  'code_invalid',
  'invalid_id_token',
  'pim_unavailable',
  'unexpected_pim_answer',
  // Anything else, wrapped once at the edge (`asAppError`)
  'unexpected',
] as const;

/** What else a sync run can end with. */
const SYNC_ERROR_CODES = [
  // The PIM's REST API
  'access_revoked',
  'scope_missing',
  'retry_beyond_time_left',
  'page_too_large',
  'catalog_disabled',
  // The run's own rules
  'pim_url_mismatch',
  'pagination_loop',
  'pagination_limit',
  'listing_out_of_order',
  // The stored connection
  'connection_changed',
  'token_decryption_failed',
  // After the run: its event for downstream consumers
  'run_event_pending',
] as const;

/** What else a worker's call to a PIM through the entry point (functions/pim-access/) can end with. */
const PIM_CLIENT_ERROR_CODES = [
  // The PIM refused a write as a whole
  'payload_too_large',
  'unsupported_media_type',
  // The caller asked for something that cannot be sent
  'invalid_pim_request',
  // What was asked for is not in the PIM (a catalog deleted there)
  'pim_not_found',
] as const;

/** A bad setting: the function (or the local tool) stops at start. */
const CONFIGURATION_ERROR_CODES = ['invalid_configuration'] as const;

/** What the ops CLI ends with besides `invalid_pim_url` and `pim_not_registered`; each has its exit code in ops/. */
export const OPS_ERROR_CODES = [
  'usage',
  'empty_secret',
  'confirmation_required',
  'cancelled',
  'pim_already_registered',
  'operation_failed',
] as const;

/** The local tools (`npm start`, `npm run sync`, `npm run pim` on the local data). */
const LOCAL_ERROR_CODES = ['data_dir_in_use'] as const;

/**
 * Every code an error of the app can carry: the one list. Each code belongs to exactly one error class, and a log
 * line (`errorCode`), a page or an exit code only ever names a code from it.
 */
export const ERROR_CODES = [
  ...BROWSER_ERROR_CODES,
  ...SYNC_ERROR_CODES,
  ...PIM_CLIENT_ERROR_CODES,
  ...CONFIGURATION_ERROR_CODES,
  ...OPS_ERROR_CODES,
  ...LOCAL_ERROR_CODES,
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
export type BrowserErrorCode = (typeof BROWSER_ERROR_CODES)[number];
export type OpsErrorCode = (typeof OPS_ERROR_CODES)[number];

export function isBrowserErrorCode(code: ErrorCode): code is BrowserErrorCode {
  return (BROWSER_ERROR_CODES as readonly ErrorCode[]).includes(code);
}

/**
 * The one base of every error the app throws on purpose, with a stable `code` from `ERROR_CODES`. Messages never
 * carry a token, a secret, an authorization code or a state value.
 */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  /** The PIM concerned, once known (after the state was read): for the page's link and the log line. */
  pim?: { readonly url: string; readonly host: string };
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Anything else that went wrong (a database or KMS failure, say): the page says so, the log has the cause. */
export class UnexpectedError extends AppError {
  readonly code = 'unexpected';
}

/** The error itself when it has a code; anything else becomes `unexpected`, with what was thrown as its cause. */
export function asAppError(error: unknown): AppError {
  return error instanceof AppError ? error : new UnexpectedError('Unexpected failure', { cause: error });
}

/**
 * What a log line or a terminal says of a failure: its own message, or for an `unexpected` one, the message of what
 * it wraps. Never for a page: only our own messages are shown there.
 */
export function reasonOf(error: AppError): string {
  const { cause } = error;
  if (!(error instanceof UnexpectedError) || cause === undefined) return error.message;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Ties a failure to the PIM it happened with (the callback knows it once the state is read). */
export function withPim(error: unknown, pim: { readonly url: string; readonly host: string }): AppError {
  const appError = asAppError(error);
  appError.pim ??= pim;
  return appError;
}

export class InvalidPimUrlError extends AppError {
  readonly code = 'invalid_pim_url';
}
export class PimNotRegisteredError extends AppError {
  readonly code = 'pim_not_registered';
  constructor(readonly pimUrl: string) {
    super(`No credentials are registered for ${pimUrl}`);
  }
}
export class MissingParameterError extends AppError {
  readonly code = 'missing_parameter';
}
export class AuthorizationDeniedError extends AppError {
  readonly code = 'authorization_denied';
}
export class UnknownStateError extends AppError {
  readonly code = 'unknown_state';
}
export class ExpiredStateError extends AppError {
  readonly code = 'expired_state';
}
export class StateAlreadyUsedError extends AppError {
  readonly code = 'state_already_used';
  constructor(readonly pimHost: string) {
    super('This authorization state was already used');
  }
}
export class BrowserMismatchError extends AppError {
  readonly code = 'browser_mismatch';
}
export class PimRejectedCredentialsError extends AppError {
  readonly code = 'pim_rejected_credentials';
}
export class AuthorizationCodeExpiredError extends AppError {
  readonly code = 'code_expired';
}
export class AuthorizationCodeInvalidError extends AppError {
  readonly code = 'code_invalid';
}
export class InvalidIdTokenError extends AppError {
  readonly code = 'invalid_id_token';
}

/**
 * The PIM did not answer (timeout, network, an answer cut short or too large), or kept failing (5xx, 429 beyond the
 * retries): the connection's page says to try again; the sync's message fails and SQS retries it later.
 */
export class PimUnavailableError extends AppError {
  readonly code = 'pim_unavailable';
}

/** An answer no Akeneo PIM gives: another 4xx, a body that is not the expected JSON, a link to another host. */
export class UnexpectedPimAnswerError extends AppError {
  readonly code = 'unexpected_pim_answer';
}
