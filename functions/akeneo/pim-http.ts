import { PimUnavailableError } from '../core/errors';
import { PimTransport } from './pim-transport';
import { TransportError } from './transport-error';

export interface PimHttpOptions {
  /** The whole call, from connecting to the last byte of the answer. */
  readonly timeoutMs: number;
  /** Larger answers are refused: a PIM's token or key answer is a few kilobytes. */
  readonly maxResponseBytes?: number;
}

export interface PimResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** The connection flow's only way to call a PIM: bounded in time and size, never following redirects. */
export class PimHttp {
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly transport = new PimTransport({ maxSockets: 2, keepAlive: false });

  constructor({ timeoutMs, maxResponseBytes = 256 * 1024 }: PimHttpOptions) {
    this.timeoutMs = timeoutMs;
    this.maxResponseBytes = maxResponseBytes;
  }

  async postForm(url: string, form: Record<string, string>): Promise<PimResponse> {
    return this.send(url, 'POST', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
  }

  async get(url: string): Promise<PimResponse> {
    return this.send(url, 'GET', { headers: { accept: 'application/json' } });
  }

  private async send(
    url: string,
    method: 'GET' | 'POST',
    request: { headers: Record<string, string>; body?: string },
  ): Promise<PimResponse> {
    try {
      const response = await this.transport.send({
        method,
        url,
        ...request,
        timeoutMs: this.timeoutMs,
        maxBytes: this.maxResponseBytes,
      });
      return { status: response.status, contentType: response.header('content-type') ?? '', body: response.body };
    } catch (error) {
      const reason = error instanceof TransportError ? error.reason : 'network error';
      throw new PimUnavailableError(`The PIM did not answer ${new URL(url).pathname}: ${reason}`, { cause: error });
    }
  }
}
