import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DISCONNECTED_TOKEN } from './api-auth';
import { bearerToken, sendJson } from './http-helpers';
import type { ApiTraffic, SandboxControls } from './sandbox-context';
import type { ApiFault, ApiStats } from './types';

const API_PREFIX = '/api/rest/v1';
/** Requests whose path and query the stats keep: enough for a test's run, bounded for a sandbox left running. */
export const RECENT_REQUESTS_KEPT = 1_000;
export const RATE_LIMITED = { code: 429, message: 'You have exceeded the limit of API requests per second.' };
const STATUS_TEXT: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function isApiPath(pathname: string): boolean {
  return pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`);
}

export function createApiTraffic(): ApiTraffic {
  return {
    latencyMs: 0,
    faults: [],
    stats: { requests: 0, maxConcurrent: 0, maxConcurrentPerToken: {}, statuses: {}, answerMs: 0, recentRequests: [] },
    inFlight: 0,
    inFlightPerToken: new Map(),
  };
}

/** Empties the live stats object in place, so references held by callers see the reset. */
export function resetStats(stats: ApiStats): void {
  stats.requests = 0;
  stats.maxConcurrent = 0;
  stats.answerMs = 0;
  stats.recentRequests.length = 0;
  for (const key of Object.keys(stats.maxConcurrentPerToken)) delete stats.maxConcurrentPerToken[key];
  for (const key of Object.keys(stats.statuses)) delete stats.statuses[key];
}

/** Like the app's token version: a short digest that identifies the token without revealing it. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 8);
}

function wait(controls: SandboxControls, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      controls.pendingTimers.delete(timer);
      resolve();
    }, ms);
    controls.pendingTimers.add(timer);
  });
}

function sendFault(response: ServerResponse, fault: Exclude<ApiFault, { kind: 'cut-stream' }>): void {
  if (fault.kind === 'unauthorized-disconnected') {
    sendJson(response, 401, DISCONNECTED_TOKEN);
    return;
  }
  if (fault.kind === 'rate-limit') {
    const payload = JSON.stringify(RATE_LIMITED);
    response.writeHead(429, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      ...(fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) }),
    });
    response.end(payload);
    return;
  }
  const status = fault.status ?? 500;
  const text = STATUS_TEXT[status] ?? 'Error';
  const html = `<!DOCTYPE html>\n<html><head><title>${status} ${text}</title></head><body><h1>${status} ${text}</h1></body></html>\n`;
  response.writeHead(status, { 'content-type': 'text/html; charset=UTF-8', 'content-length': Buffer.byteLength(html) });
  response.end(html);
}

/** Counts the request in flight until its response ends (or its connection closes), and records its status. */
function track(traffic: ApiTraffic, request: IncomingMessage, response: ServerResponse): () => void {
  const { stats } = traffic;
  const token = bearerToken(request);
  const key = token === undefined ? undefined : tokenKey(token);
  stats.requests += 1;
  stats.recentRequests.push(request.url ?? '');
  if (stats.recentRequests.length > RECENT_REQUESTS_KEPT) stats.recentRequests.shift();
  traffic.inFlight += 1;
  stats.maxConcurrent = Math.max(stats.maxConcurrent, traffic.inFlight);
  if (key !== undefined) {
    const current = (traffic.inFlightPerToken.get(key) ?? 0) + 1;
    traffic.inFlightPerToken.set(key, current);
    stats.maxConcurrentPerToken[key] = Math.max(stats.maxConcurrentPerToken[key] ?? 0, current);
  }
  let settled = false;
  const settle = () => {
    if (settled) return;
    settled = true;
    if (response.writableEnded) {
      const status = String(response.statusCode);
      stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
    }
    traffic.inFlight -= 1;
    if (key === undefined) return;
    const remaining = (traffic.inFlightPerToken.get(key) ?? 1) - 1;
    if (remaining > 0) traffic.inFlightPerToken.set(key, remaining);
    else traffic.inFlightPerToken.delete(key);
  };
  response.once('finish', settle);
  response.once('close', settle);
  return () => {
    if (response.writableEnded) settle();
  };
}

/**
 * Wraps every /api/rest/v1/* request: the fault it takes is decided on arrival (FIFO), then the latency is waited,
 * then the fault or the normal answer is sent. An answer that streams lines (`streamsLines`) takes the cut-stream
 * fault itself, as the number of lines it sends before its connection closes.
 */
export async function serveApiRequest(
  controls: SandboxControls,
  request: IncomingMessage,
  response: ServerResponse,
  answer: (cutAfterLines: number | undefined) => Promise<void>,
  options: { streamsLines: boolean },
): Promise<void> {
  const traffic = controls.api;
  const settleIfEnded = track(traffic, request, response);
  const fault = traffic.faults.shift();
  try {
    if (traffic.latencyMs > 0) await wait(controls, traffic.latencyMs);
    if (response.destroyed) return;
    const answering = performance.now();
    if (fault?.kind === 'cut-stream') {
      if (options.streamsLines) await answer(fault.afterLines);
      else response.destroy();
    } else if (fault) sendFault(response, fault);
    else await answer(undefined);
    traffic.stats.answerMs += performance.now() - answering;
  } finally {
    // Settles as soon as the answer is written, so a client's next request never overlaps this one in the stats.
    settleIfEnded();
  }
}
