/**
 * Every code a failure of the connection flow can end with. Each has its page (`http/error-responses.ts` maps every
 * one of them), and an error class can only take a code from this list.
 */
export const CONNECT_ERROR_CODES = [
  'invalid_pim_url',
  'pim_not_registered',
  'malformed_credentials',
  'missing_parameter',
  'authorization_denied',
  'unknown_state',
  'expired_state',
  'state_already_used',
  'browser_mismatch',
  'pim_rejected_credentials',
  'code_expired',
  'code_invalid',
  'pim_unreachable',
  'pim_protocol_error',
  'invalid_id_token',
  'unexpected',
] as const;

export type ConnectErrorCode = (typeof CONNECT_ERROR_CODES)[number];

/**
 * Every failure of the connection flow, each with a stable `code` that the handlers map to a status and a page.
 * Messages never carry a token, a secret, a code or a state value. Anything else a handler catches is `unexpected`.
 */
export abstract class ConnectError extends Error {
  abstract readonly code: ConnectErrorCode;
  /** The PIM concerned, once known (after the state was read): for the page's link and the log line. */
  pim?: { readonly url: string; readonly host: string };
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Anything else that went wrong (a database or KMS failure, say): the page says so, the log has the cause. */
export class UnexpectedError extends ConnectError {
  readonly code = 'unexpected';
}

/** Ties a failure to the PIM it happened with, wrapping anything that is not already a `ConnectError`. */
export function withPim(error: unknown, pim: { readonly url: string; readonly host: string }): ConnectError {
  const connectError =
    error instanceof ConnectError
      ? error
      : new UnexpectedError('The connection could not be completed', { cause: error });
  connectError.pim ??= pim;
  return connectError;
}

export class InvalidPimUrlError extends ConnectError {
  readonly code = 'invalid_pim_url';
}
export class PimNotRegisteredError extends ConnectError {
  readonly code = 'pim_not_registered';
  constructor(readonly pimUrl: string) {
    super(`No credentials are registered for ${pimUrl}`);
  }
}
export class MissingParameterError extends ConnectError {
  readonly code = 'missing_parameter';
}
export class AuthorizationDeniedError extends ConnectError {
  readonly code = 'authorization_denied';
}
export class UnknownStateError extends ConnectError {
  readonly code = 'unknown_state';
}
export class ExpiredStateError extends ConnectError {
  readonly code = 'expired_state';
}
export class StateAlreadyUsedError extends ConnectError {
  readonly code = 'state_already_used';
  constructor(readonly pimHost: string) {
    super('This authorization state was already used');
  }
}
export class BrowserMismatchError extends ConnectError {
  readonly code = 'browser_mismatch';
}
export class PimRejectedCredentialsError extends ConnectError {
  readonly code = 'pim_rejected_credentials';
}
export class AuthorizationCodeExpiredError extends ConnectError {
  readonly code = 'code_expired';
}
export class AuthorizationCodeInvalidError extends ConnectError {
  readonly code = 'code_invalid';
}
export class PimUnreachableError extends ConnectError {
  readonly code = 'pim_unreachable';
}
export class PimProtocolError extends ConnectError {
  readonly code = 'pim_protocol_error';
}
export class InvalidIdTokenError extends ConnectError {
  readonly code = 'invalid_id_token';
}
