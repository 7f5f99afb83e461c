import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/**
 * What stands in front of the embedded DynamoDB: dynalite itself answers any browser origin with
 * `Access-Control-Allow-Origin: *` and accepts any signature, so a web page open while `npm start` runs could read
 * and write the local tables. This refuses every request a browser sends (an `Origin` or `Sec-Fetch-*` header, or
 * a preflight), and every request not signed with the data directory's key as its access key id.
 */
export function guardDatabase(database: RequestListener, accessKeyId: string): RequestListener {
  const key = Buffer.from(accessKeyId);
  return (request, response) => {
    if (fromBrowser(request)) {
      refuse(
        request,
        response,
        403,
        'AccessDeniedException',
        'The embedded DynamoDB of npm start refuses requests from web browsers',
      );
      return;
    }
    if (!signedWith(request, key)) {
      refuse(
        request,
        response,
        400,
        'UnrecognizedClientException',
        'The embedded DynamoDB of npm start accepts only the access key of its data directory (DATA_DIR/dynamodb-key)',
      );
      return;
    }
    database(request, response);
  };
}

function fromBrowser(request: IncomingMessage): boolean {
  return (
    request.method === 'OPTIONS' ||
    request.headers.origin !== undefined ||
    Object.keys(request.headers).some((name) => name.startsWith('sec-fetch-'))
  );
}

/** `Authorization: AWS4-HMAC-SHA256 Credential=<access key id>/<date>/<region>/<service>/aws4_request, …` */
function signedWith(request: IncomingMessage, key: Buffer): boolean {
  const credential = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\//.exec(request.headers.authorization ?? '')?.[1];
  if (credential === undefined) return false;
  const presented = Buffer.from(credential);
  return presented.length === key.length && timingSafeEqual(presented, key);
}

/** Answers as DynamoDB does (a JSON error with its type), without any CORS header, and reads nothing further. */
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
): void {
  request.resume();
  const body = JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message });
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
