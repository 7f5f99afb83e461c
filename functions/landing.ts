import { loadConfig } from './config';
import { isHttps } from './http/request';
import { type HttpHandler, htmlResponse } from './http/responses';
import { createLandingDeps, type LandingHandlerDeps } from './wiring/landing';
import { lazyHandler } from './wiring/lazy-handler';

/** GET /: says what this service is, without disclosing which PIMs may connect. */
export const makeLandingHandler =
  (deps: LandingHandlerDeps): HttpHandler =>
  async (event) =>
    htmlResponse(200, deps.page, { https: isHttps(event) });

export const handler: HttpHandler = lazyHandler(() => makeLandingHandler(createLandingDeps(loadConfig(process.env))));
