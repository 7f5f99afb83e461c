import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { STYLESHEET_HASH } from './pages/layout';

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

/** An API Gateway HTTP API (payload v2) handler: what Lambda runs and what the local server calls. */
export type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<HttpResult>;

/** Nothing but the hashed stylesheet may load: no script, image, font, frame or form target, and no framing. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${STYLESHEET_HASH}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface ResponseOptions {
  /** Pages that follow a callback or an error must never be cached: they reflect one moment. */
  readonly noStore?: boolean;
  /** Sent over https: add Strict-Transport-Security. */
  readonly https: boolean;
}

/** The headers every response carries, whatever its route and status. */
export function securityHeaders({ noStore = false, https }: ResponseOptions): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    // The landing page may be revalidated; anything that follows a callback or an error is never stored.
    'cache-control': noStore ? 'no-store' : 'no-cache',
    ...(https ? { 'strict-transport-security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}

export function htmlResponse(statusCode: number, body: string, options: ResponseOptions): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', ...securityHeaders(options) },
    body,
  };
}

export function redirectResponse(location: string, cookies: string[], options: ResponseOptions): HttpResult {
  return {
    statusCode: 302,
    headers: { location, ...securityHeaders({ ...options, noStore: true }) },
    cookies,
    body: '',
  };
}
