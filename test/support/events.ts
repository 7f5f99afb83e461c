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
