import type { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from './config';
import { asAppError } from './core/errors';
import { bindingCookieName } from './http/browser-binding-cookie';
import { errorResult } from './http/error-result';
import { connectedPage } from './http/pages/connected-page';
import { cookieValue, hasQueryParameter, isHttps, queryParameter } from './http/request';
import { type HttpHandler, htmlResponse } from './http/responses';
import { flushingMetrics, METRIC_NAMES } from './observability/metrics';
import type { EventPlatformStep } from './use-cases/complete-connect';
import { type CallbackHandlerDeps, createCallbackDeps } from './wiring/callback';
import { lazyHandler } from './wiring/lazy-handler';

/** GET /callback?code=…&state=…: the PIM sends the browser here after consent. */
export const makeCallbackHandler =
  (deps: CallbackHandlerDeps): HttpHandler =>
  (event) =>
    flushingMetrics(deps.metrics, async () => {
      const https = isHttps(event);
      try {
        const outcome = await deps.completeConnect({
          code: queryParameter(event, 'code'),
          state: queryParameter(event, 'state'),
          error: hasQueryParameter(event, 'error') ? 'present' : undefined,
          browserBinding: cookieValue(event, bindingCookieName(https)),
          now: deps.now(),
        });
        if (outcome.kind === 'connected') {
          deps.logger.info('PIM connected', {
            pimHost: outcome.pimHost,
            tokenVersion: outcome.tokenVersion,
            grantedScopes: outcome.grantedScopes,
            missingScopes: outcome.missingScopes,
          });
          if (outcome.eventPlatformStep) logEventPlatformStep(deps.logger, outcome.pimHost, outcome.eventPlatformStep);
        } else {
          deps.logger.info('Callback replayed; connection unchanged', { pimHost: outcome.pimHost });
        }
        deps.metrics?.count(METRIC_NAMES.connectCompleted);
        const page = connectedPage({ ...outcome, replayed: outcome.kind === 'already-connected' });
        return htmlResponse(200, page, { noStore: true, https });
      } catch (error) {
        deps.metrics?.countByCode(METRIC_NAMES.connectFailed, asAppError(error).code);
        return errorResult(deps, error, https);
      }
    });

/** One line per step: what it found and changed; a warning for a refusal the logs must explain; never a secret. */
function logEventPlatformStep(logger: Logger, pimHost: string, step: EventPlatformStep): void {
  if (step.kind === 'error') {
    const error = step.error instanceof Error ? step.error : new Error('unknown failure');
    // A parser's message quotes its input, which may be a secret: only its name is logged.
    const message = error instanceof SyntaxError ? undefined : error.message.slice(0, 300);
    logger.error('Event Platform step failed; the connection is made without it', {
      pimHost,
      causeName: error.name,
      ...(message === undefined ? {} : { causeMessage: message }),
    });
    return;
  }
  const fields = {
    pimHost,
    state: step.eventPlatform.state,
    ...(step.eventPlatform.reason ? { reason: step.eventPlatform.reason } : {}),
    subscriberId: step.eventPlatform.subscriberId,
    subscriptionId: step.eventPlatform.subscriptionId,
    changes: step.changes,
    stored: step.stored,
  };
  if (step.failure) {
    logger.warn('The Event Platform refused to subscribe', {
      ...fields,
      platformStatus: step.failure.status,
      platformMessage: step.failure.message,
    });
  } else {
    logger.info('Event Platform step done', fields);
  }
}

export const handler: HttpHandler = lazyHandler(() => makeCallbackHandler(createCallbackDeps(loadConfig(process.env))));
