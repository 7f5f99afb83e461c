import { loadConfig } from './config';
import { asAppError } from './core/errors';
import { bindingCookie } from './http/browser-binding-cookie';
import { errorResult } from './http/error-result';
import { isHttps, queryParameter } from './http/request';
import { type HttpHandler, redirectResponse } from './http/responses';
import { flushingMetrics, METRIC_NAMES } from './observability/metrics';
import { type ActivateHandlerDeps, createActivateDeps } from './wiring/activate';
import { lazyHandler } from './wiring/lazy-handler';

/** GET /activate?pim_url=…: the PIM's *Connect* and *Open app* land here. */
export const makeActivateHandler =
  (deps: ActivateHandlerDeps): HttpHandler =>
  (event) =>
    flushingMetrics(deps.metrics, async () => {
      const https = isHttps(event);
      try {
        const outcome = await deps.startConnect({ pimUrl: queryParameter(event, 'pim_url'), now: deps.now() });
        deps.logger.info('Authorization started', {
          pimHost: outcome.pimHost,
          stateHashPrefix: outcome.stateHash.slice(0, 12),
        });
        deps.metrics?.count(METRIC_NAMES.connectStarted);
        return redirectResponse(outcome.authorizeUrl, [bindingCookie(outcome.browserBinding, https)], { https });
      } catch (error) {
        deps.metrics?.countByCode(METRIC_NAMES.connectFailed, asAppError(error).code);
        return errorResult(deps, error, https);
      }
    });

export const handler: HttpHandler = lazyHandler(() => makeActivateHandler(createActivateDeps(loadConfig(process.env))));
