import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { AnswerTooLargeError, TransportError } from './transport-error';

export interface HttpCall {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** The whole call, from connecting to the last byte of the answer. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /**
   * Sees each chunk of the answer's body as it arrives, with the answer's status; a `TransportError` it throws stops
   * the call with it.
   */
  readonly onChunk?: (chunk: Buffer, status: number) => void;
  /** Shown the start of a 200 answer's body as it arrives, until it returns true or the start is 16 KiB long. */
  readonly peek?: (head: string) => boolean;
}

/** Enough for the `_links` block of any Akeneo page; the peek is not worth a copy of more. */
const MAX_PEEK_BYTES = 16 * 1024;

export interface PimAnswer {
  readonly status: number;
  readonly body: string;
  header(name: string): string | undefined;
}

/**
 * Calls to a PIM over Node's own http(s), at most `maxSockets` at once per PIM: built in, so the
 * Lambda bundles carry no HTTP client of their own (the callback's cold start is on the 30-second clock), and the
 * cheapest way from one answer to the next request (the sync reads hundreds of pages in a row). One deadline per
 * call, a cap on the answer's size, and no redirect followed: a PIM that redirects its API is not answering it.
 */
export class PimTransport {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;

  /**
   * @param keepAlive reuse sockets between calls: right for the sync's back-to-back GETs (retried on a reset), wrong
   * for the callback, whose next call may come after the Lambda was frozen, on a socket the PIM has since closed.
   */
  constructor({ maxSockets, keepAlive }: { readonly maxSockets: number; readonly keepAlive: boolean }) {
    this.http = new HttpAgent({ keepAlive, maxSockets });
    this.https = new HttpsAgent({ keepAlive, maxSockets });
  }

  get(call: Omit<HttpCall, 'method' | 'body'>): Promise<PimAnswer> {
    return this.send({ ...call, method: 'GET' });
  }

  send(call: HttpCall): Promise<PimAnswer> {
    const { headers, timeoutMs, maxBytes } = call;
    const target = new URL(call.url);
    const secure = target.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const length = call.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(call.body)) };
      const request = send(target, {
        method: call.method,
        headers: { ...headers, ...length },
        agent: secure ? this.https : this.http,
      });
      let settled = false;
      // Settles once: whatever happens after (a socket closing under a destroyed call) is nobody's concern.
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        reject(error instanceof TransportError ? error : new TransportError(describe(error), { cause: error }));
      };
      const timer = setTimeout(() => fail(new TransportError('answer timed out')), timeoutMs);
      request.on('error', fail);
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let peeking = call.peek !== undefined && response.statusCode === 200;
        response.on('data', (chunk: Buffer) => {
          if (settled) return;
          size += chunk.length;
          if (size > maxBytes) return fail(new AnswerTooLargeError('bytes'));
          try {
            call.onChunk?.(chunk, response.statusCode ?? 0);
          } catch (error) {
            return fail(error as Error);
          }
          chunks.push(chunk);
          // A multi-byte character cut at the end decodes as U+FFFD there, outside any complete JSON string.
          if (peeking) {
            const start = chunks.length === 1 ? chunk : Buffer.concat(chunks);
            const head = start.subarray(0, MAX_PEEK_BYTES).toString('utf8');
            peeking = !call.peek?.(head) && size < MAX_PEEK_BYTES;
          }
        });
        response.on('error', fail);
        response.on('close', () => {
          if (!response.complete) fail(new TransportError('answer cut short'));
        });
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const value = (name: string) => {
            const header = response.headers[name.toLowerCase()];
            return Array.isArray(header) ? header[0] : header;
          };
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), header: value });
        });
      });
      request.end(call.body);
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

function describe(error: Error): string {
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : 'network error';
}
