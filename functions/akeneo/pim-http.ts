import { Agent, type Dispatcher, errors, request } from 'undici';
import { PimUnreachableError } from '../core/errors';

export interface PimHttpOptions {
  readonly connectTimeoutMs: number;
  readonly responseTimeoutMs: number;
  /** Larger answers are refused: a PIM's token or key answer is a few kilobytes. */
  readonly maxResponseBytes?: number;
}

export interface PimResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** The app's only way to call a PIM: bounded in time and size, never following redirects. */
export class PimHttp {
  private readonly dispatcher: Dispatcher;
  private readonly responseTimeoutMs: number;

  constructor({ connectTimeoutMs, responseTimeoutMs, maxResponseBytes = 256 * 1024 }: PimHttpOptions) {
    this.dispatcher = new Agent({
      connect: { timeout: connectTimeoutMs },
      headersTimeout: responseTimeoutMs,
      bodyTimeout: responseTimeoutMs,
      maxResponseSize: maxResponseBytes,
    });
    this.responseTimeoutMs = responseTimeoutMs;
  }

  async postForm(url: string, form: Record<string, string>): Promise<PimResponse> {
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
  }

  async get(url: string): Promise<PimResponse> {
    return this.send(url, { method: 'GET', headers: { accept: 'application/json' } });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async send(url: string, options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>): Promise<PimResponse> {
    const path = new URL(url).pathname;
    try {
      const response = await request(url, {
        ...options,
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(this.responseTimeoutMs),
      });
      const contentType = String(response.headers['content-type'] ?? '');
      return { status: response.statusCode, contentType, body: await response.body.text() };
    } catch (error) {
      throw new PimUnreachableError(`The PIM did not answer ${path}: ${describe(error)}`, { cause: error });
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.ConnectTimeoutError) return 'connection timed out';
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError)
    return 'answer timed out';
  if (error instanceof errors.ResponseExceededMaxSizeError) return 'answer too large';
  if ((error as Error | undefined)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError') {
    return 'answer timed out';
  }
  return (error as { code?: string } | undefined)?.code ?? 'network error';
}
