import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { request } from 'undici';
import { makeActivateHandler } from '../../../functions/activate';
import { makeCallbackHandler } from '../../../functions/callback';
import {
  ExpiredStateError,
  InvalidPimUrlError,
  PimNotRegisteredError,
  PimRejectedCredentialsError,
  PimUnavailableError,
} from '../../../functions/core/errors';
import type { HttpResult } from '../../../functions/http/responses';
import { handler as landing } from '../../../functions/landing';
import type { CompleteConnect } from '../../../functions/use-cases/complete-connect';
import type { StartConnect } from '../../../functions/use-cases/start-connect';
import { type AppServer, type Routes, startAppServer } from '../../../local/app-server';
import { getEvent } from '../../support/events';

const PIM = { url: 'https://acme.cloud.akeneo.com', host: 'acme.cloud.akeneo.com' };

// The use cases are stubbed, keyed on the request, so one set of real handlers gives every status the app produces.
const startConnect: StartConnect = async ({ pimUrl }) => {
  if (pimUrl === PIM.url) {
    return {
      authorizeUrl: `${PIM.url}/connect/apps/v1/authorize?state=s`,
      browserBinding: 'b',
      pimHost: PIM.host,
      stateHash: 'h'.repeat(64),
    };
  }
  if (pimUrl === 'https://unknown.example.com') throw new PimNotRegisteredError(pimUrl);
  throw new InvalidPimUrlError('The PIM address is not a URL');
};

const completeConnect: CompleteConnect = async ({ code }) => {
  const summary = {
    pimUrl: PIM.url,
    pimHost: PIM.host,
    grantedScopes: ['read_products', 'openid'],
    missingScopes: ['write_products'],
    connectedBy: { sub: 'u', name: 'Julia Stark', email: 'julia@example.com' },
    sync: {
      health: {
        consecutiveFailures: 0,
        continuationPending: false,
        stale: false,
        missingScopes: ['write_products'],
        problems: [],
      },
      at: '2026-11-30T12:00:00.000Z',
      nextRunBy: '2026-11-30T12:15:00.000Z',
    },
  };
  const failWith = (error: ExpiredStateError | PimUnavailableError | PimRejectedCredentialsError) => {
    error.pim = PIM;
    throw error;
  };
  switch (code) {
    case 'ok':
      return { kind: 'connected', tokenVersion: 'v1', ...summary };
    case 'replayed':
      return { kind: 'already-connected', ...summary };
    case 'expired':
      return failWith(new ExpiredStateError('The state expired'));
    case 'unreachable':
      return failWith(new PimUnavailableError('The token endpoint timed out'));
    case 'rejected':
      return failWith(new PimRejectedCredentialsError('invalid_client'));
    default:
      throw new Error('The database is down');
  }
};

const deps = { logger: new Logger({ logLevel: 'SILENT' }), randomBytes: () => new Uint8Array(6), now: () => 0 };
const routes: Routes = {
  'GET /': landing,
  'GET /activate': makeActivateHandler({ ...deps, startConnect }),
  'GET /callback': makeCallbackHandler({ ...deps, completeConnect }),
};

const q = (name: string, value: string) => `${name}=${encodeURIComponent(value)}`;

/** Every route and status the app answers with; the 404 exists only on the local server (API Gateway has its own). */
const CASES: ReadonlyArray<readonly [name: string, path: string, query: string, status: number]> = [
  ['the landing page', '/', '', 200],
  ['Activate for a registered PIM', '/activate', q('pim_url', PIM.url), 302],
  ['Activate with a bad PIM URL', '/activate', q('pim_url', 'not a url'), 400],
  ['Activate for an unregistered PIM', '/activate', q('pim_url', 'https://unknown.example.com'), 403],
  ['the callback, connected', '/callback', 'code=ok&state=s', 200],
  ['the callback, replayed', '/callback', 'code=replayed&state=s', 200],
  ['the callback, expired state', '/callback', 'code=expired&state=s', 400],
  ['the callback, PIM unreachable', '/callback', 'code=unreachable&state=s', 502],
  ['the callback, credentials rejected', '/callback', 'code=rejected&state=s', 502],
  ['the callback, unexpected failure', '/callback', 'code=boom&state=s', 500],
];

interface Response {
  readonly status: number;
  readonly headers: Record<string, string | undefined>;
  readonly body: string;
}

function directives(csp: string | undefined): Map<string, string[]> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );
}

function expectSecurityHeaders(response: Response, { https, path }: { https: boolean; path: string }): void {
  const { headers } = response;
  const csp = directives(headers['content-security-policy']);
  expect(csp.get('default-src')).toEqual(["'none'"]);
  expect(csp.get('style-src')).toEqual([expect.stringMatching(/^'sha256-[A-Za-z0-9+/]{43}='$/)]);
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  expect(csp.get('base-uri')).toEqual(["'none'"]);
  expect(csp.get('form-action')).toEqual(["'none'"]);
  expect([...csp.keys()].sort()).toEqual(['base-uri', 'default-src', 'form-action', 'frame-ancestors', 'style-src']);
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-resource-policy']).toBe('same-origin');
  // The landing page says the same to everyone; everything else follows a callback, an error or a redirect.
  expect(headers['cache-control']).toBe(path === '/' && response.status === 200 ? 'no-cache' : 'no-store');
  if (https) {
    expect(headers['strict-transport-security']).toMatch(/^max-age=(\d+); includeSubDomains$/);
    expect(Number(/max-age=(\d+)/.exec(headers['strict-transport-security'] ?? '')?.[1])).toBeGreaterThanOrEqual(
      31_536_000,
    );
  } else {
    expect(headers['strict-transport-security']).toBeUndefined();
  }
}

/** The page must need nothing its CSP forbids: one stylesheet whose hash the CSP names, no script, no other asset. */
function expectSelfContainedPage(response: Response): void {
  const { headers, body } = response;
  expect(headers['content-type']).toBe('text/html; charset=utf-8');
  const styles = [...body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1]);
  expect(styles).toHaveLength(1);
  const hash = `'sha256-${createHash('sha256').update(styles[0]).digest('base64')}'`;
  expect(directives(headers['content-security-policy']).get('style-src')).toEqual([hash]);
  expect(body).not.toMatch(/<script|<link|<img|<iframe|<form|\sstyle=|\ssrc=|\son[a-z]+=/i);
  expect(body).toMatch(/^<!doctype html>\n<html lang="en">/);
  expect(body.match(/<h1[\s>]/g)).toHaveLength(1);
}

function expectResponse(response: Response, status: number, context: { https: boolean; path: string }): void {
  expect(response.status).toBe(status);
  expectSecurityHeaders(response, context);
  if (status === 302) {
    expect(response.headers.location).toMatch(/^https:\/\//);
    expect(response.body).toBe('');
  } else {
    expectSelfContainedPage(response);
  }
}

function fromResult(result: HttpResult): Response {
  return { status: result.statusCode, headers: result.headers, body: result.body ?? '' };
}

describe('security headers, on API Gateway events (https)', () => {
  it.each(CASES)('are on %s (%s, %s → %i)', async (_name, path, query, status) => {
    const result = await routes[`GET ${path}`](getEvent(path, query));

    expectResponse(fromResult(result), status, { https: true, path });
  });
});

describe('security headers, through the local HTTP server (http)', () => {
  let server: AppServer;

  beforeAll(async () => {
    server = await startAppServer(routes, 0);
  });

  afterAll(async () => {
    await server.close();
  });

  async function get(path: string, method: 'GET' | 'POST' = 'GET'): Promise<Response> {
    const response = await request(`${server.url}${path}`, { method });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (typeof value === 'string') headers[name] = value;
    }
    return { status: response.statusCode, headers, body: await response.body.text() };
  }

  it.each(CASES)('are on %s (%s, %s → %i)', async (_name, path, query, status) => {
    const response = await get(query ? `${path}?${query}` : path);

    expectResponse(response, status, { https: false, path });
  });

  it.each([
    ['an unknown path', 'GET', '/admin'],
    ['an unknown method', 'POST', '/callback'],
  ] as const)('are on the 404 page for %s', async (_name, method, path) => {
    const response = await get(path, method);

    expectResponse(response, 404, { https: false, path });
    expect(response.body).toContain('Page not found');
    // Nothing went wrong that an operator could look up: no error id to hand over.
    expect(response.body).not.toMatch(/Error id|operator/);
  });

  /** Writes raw bytes, as a client that does not speak proper HTTP would, and parses the answer. */
  function rawRequest(bytes: string): Promise<Response> {
    const { port } = new URL(server.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(bytes));
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk.toString('utf8');
      });
      socket.on('error', reject);
      socket.on('close', () => {
        const [head, ...body] = answer.split('\r\n\r\n');
        const [statusLine, ...headerLines] = head.split('\r\n');
        const headers: Record<string, string> = {};
        for (const line of headerLines) {
          const separator = line.indexOf(':');
          headers[line.slice(0, separator).toLowerCase()] = line.slice(separator + 1).trim();
        }
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body: body.join('\r\n\r\n') });
      });
    });
  }

  it.each([
    ['a request line over the limit', `GET /activate?pim_url=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['headers over the limit', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`],
  ])("answers %s with the app's own 431 page", async (_name, bytes) => {
    const response = await rawRequest(bytes);

    expectResponse(response, 431, { https: false, path: '/activate' });
    expect(response.body).toContain('The request is too large');
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(response.body)));
    expect(response.headers.connection).toBe('close');
  });

  it("answers a request that is not HTTP with the app's own 400 page", async () => {
    const response = await rawRequest('HELLO\r\n\r\n');

    expectResponse(response, 400, { https: false, path: '/' });
    expect(response.body).toContain('The request could not be read');
  });
});

describe('the pages a browser renders', () => {
  it('show the PIM, the scopes, who connected and the error id, with headings in order', async () => {
    const connected = fromResult(await routes['GET /callback'](getEvent('/callback', 'code=ok&state=s')));
    const failed = fromResult(await routes['GET /callback'](getEvent('/callback', 'code=boom&state=s')));

    expect(connected.body).toContain('Connected to acme.cloud.akeneo.com');
    expect(connected.body).toContain('<code>read_products</code>');
    expect(connected.body).toContain('Requested but not granted');
    expect(connected.body).toContain('Julia Stark');
    expect(failed.body).toMatch(/Error id: <code>000000000000<\/code>/);
    for (const { body } of [connected, failed]) {
      const levels = [...body.matchAll(/<h([1-6])[\s>]/g)].map((match) => Number(match[1]));
      expect(levels[0]).toBe(1);
      for (const [index, level] of levels.entries()) {
        if (index > 0) expect(level).toBeLessThanOrEqual(levels[index - 1] + 1);
      }
    }
  });
});
