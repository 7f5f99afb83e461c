import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The destination's status, or why there was none. Redirects are never followed: a 3xx is the answer. */
export type PostResult = number | 'timeout' | 'network-error';

/**
 * POSTs `body` as given (the exact bytes that were signed) and resolves with the answer's status once the whole
 * answer is read, or 'timeout' when it takes longer than `timeoutMs`. A fresh connection each time (no keep-alive),
 * so nothing outlives the call. `signal` aborts it (the sandbox closing): that resolves as a network error.
 */
export function postBody(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<PostResult> {
  if (signal.aborted) return Promise.resolve('network-error');
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    let settled = false;
    const settle = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
      resolve(result);
    };
    const request = send(url, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'content-length': String(body.length), connection: 'close' },
    });
    const timer = setTimeout(() => {
      settle('timeout');
      request.destroy();
    }, timeoutMs);
    const abort = () => {
      settle('network-error');
      request.destroy();
    };
    signal.addEventListener('abort', abort);
    request.on('response', (response) => {
      response.on('error', () => settle('network-error'));
      response.on('end', () => settle(response.statusCode ?? 0));
      response.resume();
    });
    request.on('error', () => settle('network-error'));
    request.end(body);
  });
}
