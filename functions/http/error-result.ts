import type { Logger } from '@aws-lambda-powertools/logger';
import { AppError, asAppError } from '../core/errors';
import { newErrorId } from '../observability/logger';
import { describeError } from './error-responses';
import { errorPage } from './pages/error-page';
import { type HttpResult, htmlResponse } from './responses';

export interface ErrorResultDeps {
  readonly logger: Logger;
  readonly randomBytes: (size: number) => Uint8Array;
}

/** Turns any failure into its page, and one log line that carries the same error id. */
export function errorResult(deps: ErrorResultDeps, failure: unknown, https: boolean): HttpResult {
  const error = asAppError(failure);
  const errorId = newErrorId(deps.randomBytes);
  const description = describeError(error);
  const fields = {
    errorId,
    errorCode: error.code,
    reason: error.message,
    ...(error.pim ? { pimHost: error.pim.host } : {}),
    ...causeFields(error.cause),
  };
  if (description.status >= 500) deps.logger.error('Connection failed', fields);
  else deps.logger.warn('Connection refused', fields);
  const page = errorPage({ ...description, errorId, ...(error.pim ? { pimUrl: error.pim.url } : {}) });
  return htmlResponse(description.status, page, { noStore: true, https });
}

/**
 * Parsers quote the text they failed on (V8: `Unexpected token 's', ..."tSecret": supersecre"...`), and that text
 * may be a secret: their messages never reach the log, only their names.
 */
const QUOTES_ITS_INPUT = new Set(['SyntaxError', 'TransformParameterError']);

/** The name and message of an underlying failure: SDK and network errors name no token, code or state. */
function causeFields(cause: unknown): Record<string, string> {
  if (!(cause instanceof Error) || cause instanceof AppError) return {};
  if (cause instanceof SyntaxError || QUOTES_ITS_INPUT.has(cause.name)) return { causeName: cause.name };
  return { causeName: cause.name, causeMessage: cause.message.slice(0, 300) };
}
