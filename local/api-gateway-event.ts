import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HttpResult } from '../functions/http/responses';

export interface RequestPayload {
  readonly body?: Buffer;
  readonly pathParameters?: Record<string, string>;
}

/**
 * Builds the API Gateway HTTP API (payload v2) event that Lambda would receive for this request. A body is passed as
 * text for a JSON or text content type, base64 otherwise, as API Gateway does.
 */
export function toApiGatewayEvent(
  request: IncomingMessage,
  routeKey: string,
  payload: RequestPayload = {},
): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name === 'cookie' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  headers['x-forwarded-proto'] ??= 'http';
  const cookies = (request.headers.cookie ?? '')
    .split(';')
    .map((cookie) => cookie.trim())
    .filter(Boolean);
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0],
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(payload.pathParameters ? { pathParameters: payload.pathParameters } : {}),
    ...bodyOf(payload.body, headers['content-type']),
  };
}

function bodyOf(body: Buffer | undefined, contentType = ''): { body?: string; isBase64Encoded: boolean } {
  if (body === undefined || body.length === 0) return { isBase64Encoded: false };
  const text = /^(text\/|application\/([\w.+-]*\+)?json)/i.test(contentType);
  return text
    ? { body: body.toString('utf8'), isBase64Encoded: false }
    : { body: body.toString('base64'), isBase64Encoded: true };
}

/** Writes a handler's result the way API Gateway does, cookies as separate Set-Cookie headers. */
export function writeResult(response: ServerResponse, result: HttpResult): void {
  for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
  if (result.cookies && result.cookies.length > 0) response.setHeader('set-cookie', result.cookies);
  response.statusCode = result.statusCode;
  response.end(result.body ?? '');
}
