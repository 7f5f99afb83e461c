import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** An API Gateway HTTP API (payload v2) event as API Gateway builds it for a browser's GET. */
export function getEvent(path: string, rawQueryString: string, cookies: string[] = []): APIGatewayProxyEventV2 {
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  return {
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers: { host: 'app.example.com', 'x-forwarded-proto': 'https' },
    queryStringParameters: query,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'app.example.com',
      domainPrefix: 'app',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: 'request-id',
      routeKey: `GET ${path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  };
}

/** The event API Gateway builds for a POST to a route with a `{pimHostKey}` path parameter (a webhook delivery). */
export function postEvent(
  routePath: string,
  pimHostKey: string,
  body: string,
  headers: Record<string, string>,
): APIGatewayProxyEventV2 {
  const path = routePath.replace('{pimHostKey}', pimHostKey);
  return {
    version: '2.0',
    routeKey: `POST ${routePath}`,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'app.example.com', 'x-forwarded-proto': 'https', 'content-type': 'application/json', ...headers },
    pathParameters: { pimHostKey },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'app.example.com',
      domainPrefix: 'app',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'Akeneo' },
      requestId: 'request-id',
      routeKey: `POST ${routePath}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  };
}
