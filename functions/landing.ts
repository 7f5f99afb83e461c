import { landingPage } from './http/pages/landing-page';
import { isHttps } from './http/request';
import { type HttpHandler, htmlResponse } from './http/responses';

/** GET /: says what this service is, without disclosing which PIMs may connect. */
export const handler: HttpHandler = async (event) => htmlResponse(200, landingPage(), { https: isHttps(event) });
