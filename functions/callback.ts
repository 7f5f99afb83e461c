import { loadConfig } from './config';
import { asAppError } from './core/errors';
import { bindingCookieName } from './http/browser-binding-cookie';
import { errorResult } from './http/error-result';
import { connectedPage } from './http/pages/connected-page';
import { cookieValue, hasQueryParameter, isHttps, queryParameter } from './http/request';
import { type HttpHandler, htmlResponse } from './http/responses';
import { flushingMetrics, METRIC_NAMES } from './observability/metrics';
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

export const handler: HttpHandler = lazyHandler(() => makeCallbackHandler(createCallbackDeps(loadConfig(process.env))));
