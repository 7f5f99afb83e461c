import { loadConfig } from './config';
import { bindingCookie } from './http/browser-binding-cookie';
import { errorResult } from './http/error-result';
import { isHttps, queryParameter } from './http/request';
import { type HttpHandler, redirectResponse } from './http/responses';
import { type ActivateHandlerDeps, createActivateDeps } from './wiring/activate';
import { lazyHandler } from './wiring/lazy-handler';

/** GET /activate?pim_url=…: the PIM's *Connect* and *Open app* land here. */
export const makeActivateHandler =
  (deps: ActivateHandlerDeps): HttpHandler =>
  async (event) => {
    const https = isHttps(event);
    try {
      const outcome = await deps.startConnect({ pimUrl: queryParameter(event, 'pim_url'), now: deps.now() });
      deps.logger.info('Authorization started', {
        pimHost: outcome.pimHost,
        stateHashPrefix: outcome.stateHash.slice(0, 12),
      });
      return redirectResponse(outcome.authorizeUrl, [bindingCookie(outcome.browserBinding, https)], { https });
    } catch (error) {
      return errorResult(deps, error, https);
    }
  };

export const handler: HttpHandler = lazyHandler(() => makeActivateHandler(createActivateDeps(loadConfig(process.env))));
