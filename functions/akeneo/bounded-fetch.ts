/**
 * An HTTP call to a PIM with Node's built-in fetch: one deadline for the whole exchange, a cap on the answer's
 * size, and no redirect followed (a PIM that redirects its API is not answering it). Built in, so the Lambda
 * bundles carry no HTTP client of their own: the callback's cold start is on the 30-second clock.
 */
export interface BoundedFetchOptions {
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export interface BoundedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/** The call did not produce a whole answer; `reason` says why in a few words fit for a log line. */
export class TransportError extends Error {
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(reason, options);
    this.name = 'TransportError';
  }
}

export async function boundedFetch(url: string, options: BoundedFetchOptions): Promise<BoundedResponse> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(url, {
      method: options.method,
      headers: options.headers,
      body: options.body,
      redirect: 'manual',
      signal,
    });
    return { status: response.status, headers: response.headers, body: await readCapped(response, options.maxBytes) };
  } catch (error) {
    if (error instanceof TransportError) throw error;
    throw new TransportError(describe(error), { cause: error });
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new TransportError('answer too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describe(error: unknown): string {
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'answer timed out';
  const code = ((error as { cause?: { code?: unknown } } | undefined)?.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'network error';
}
