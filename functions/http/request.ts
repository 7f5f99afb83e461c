import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * A query parameter read from the raw query string. A parameter given twice is treated as absent: API Gateway
 * would join the values with a comma, and neither value can be trusted to be the meant one.
 */
export function queryParameter(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const values = new URLSearchParams(event.rawQueryString ?? '').getAll(name);
  return values.length === 1 ? values[0] : undefined;
}

export function hasQueryParameter(event: APIGatewayProxyEventV2, name: string): boolean {
  return new URLSearchParams(event.rawQueryString ?? '').has(name);
}

/** A cookie from the payload v2 `cookies` array; the last one wins, as in browsers' most-specific-first order. */
export function cookieValue(event: APIGatewayProxyEventV2, name: string): string | undefined {
  let found: string | undefined;
  for (const cookie of event.cookies ?? []) {
    const separator = cookie.indexOf('=');
    if (separator > 0 && cookie.slice(0, separator).trim() === name) found = cookie.slice(separator + 1).trim();
  }
  return found === '' ? undefined : found;
}

/** Whether the browser reached us over https (always true behind API Gateway). */
export function isHttps(event: APIGatewayProxyEventV2): boolean {
  const proto = event.headers?.['x-forwarded-proto'];
  return proto === undefined ? true : proto.split(',')[0].trim() === 'https';
}
