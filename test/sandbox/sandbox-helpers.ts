import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { request } from 'undici';
import { type SandboxApp, type SandboxOptions, type SandboxPim, startSandboxPim } from '../../sandbox';

export const ACTIVATE_URL = 'https://app.example.com/activate';
export const CALLBACK_URL = 'https://app.example.com/callback';

export interface HttpResult {
  status: number;
  location: string | undefined;
  contentType: string;
  text: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  scope: string;
  id_token?: string;
}

/** A sandbox with one registered custom app (fixed URLs, random credentials). */
export async function startSandboxWithApp(
  options: Omit<SandboxOptions, 'apps'> = {},
): Promise<{ pim: SandboxPim; app: SandboxApp }> {
  const clientId = randomUUID();
  const pim = await startSandboxPim({
    ...options,
    apps: [{ name: 'Test app', activateUrl: ACTIVATE_URL, callbackUrl: CALLBACK_URL, clientId }],
  });
  const app = pim.getApp(clientId);
  if (!app) throw new Error('The sandbox did not register the test app');
  return { pim, app };
}

export async function http(
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpResult> {
  const response = await request(url, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
  const location = response.headers.location;
  return {
    status: response.statusCode,
    location: typeof location === 'string' ? location : undefined,
    contentType: String(response.headers['content-type'] ?? ''),
    text: await response.body.text(),
  };
}

export function postForm(url: string, fields: Record<string, string>): Promise<HttpResult> {
  return http(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

export function authorizeUrl(pim: SandboxPim, params: Record<string, string>): string {
  return `${pim.url}/connect/apps/v1/authorize?${new URLSearchParams(params).toString()}`;
}

export function requestAuthorization(pim: SandboxPim, clientId: string, scope: string, state?: string) {
  const params: Record<string, string> = { response_type: 'code', client_id: clientId, scope };
  if (state !== undefined) params.state = state;
  return http(authorizeUrl(pim, params));
}

function unescapeHtml(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

export function hiddenInputs(html: string): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    inputs[match[1] as string] = unescapeHtml(match[2] as string);
  }
  return inputs;
}

export function isConsentPage(result: HttpResult): boolean {
  return result.status === 200 && result.text.includes('data-testid="consent-confirm"');
}

/** Runs authorize (confirming the consent page if shown) and returns the callback URL. */
export async function authorizeThroughCallback(
  pim: SandboxPim,
  clientId: string,
  scope: string,
  state?: string,
): Promise<URL> {
  let result = await requestAuthorization(pim, clientId, scope, state);
  if (isConsentPage(result)) {
    result = await postForm(`${pim.url}/connect/apps/v1/authorize/confirm`, hiddenInputs(result.text));
  }
  if (result.status !== 302 || !result.location) throw new Error(`Expected a redirect, got ${result.status}`);
  return new URL(result.location);
}

export async function authorizationCode(pim: SandboxPim, clientId: string, scope: string): Promise<string> {
  const callback = await authorizeThroughCallback(pim, clientId, scope);
  return callback.searchParams.get('code') ?? '';
}

export function codeChallenge(codeIdentifier: string, clientSecret: string): string {
  return createHash('sha256')
    .update(codeIdentifier + clientSecret)
    .digest('hex');
}

export function validTokenFields(app: SandboxApp, code: string): Record<string, string> {
  const codeIdentifier = randomBytes(30).toString('hex');
  return {
    client_id: app.clientId,
    code,
    grant_type: 'authorization_code',
    code_identifier: codeIdentifier,
    code_challenge: codeChallenge(codeIdentifier, app.clientSecret),
  };
}

export async function requestToken(pim: SandboxPim, fields: Record<string, string>) {
  const result = await postForm(`${pim.url}/connect/apps/v1/oauth2/token`, fields);
  return { status: result.status, body: JSON.parse(result.text) as Record<string, string> };
}

/** The full connection flow: authorize, consent, exchange the code. */
export async function connectApp(pim: SandboxPim, app: SandboxApp, scope: string): Promise<TokenResponse> {
  const code = await authorizationCode(pim, app.clientId, scope);
  const { status, body } = await requestToken(pim, validTokenFields(pim.getApp(app.clientId) ?? app, code));
  if (status !== 200) throw new Error(`Token exchange failed: ${status} ${JSON.stringify(body)}`);
  return body as unknown as TokenResponse;
}

export async function apiGet(pim: SandboxPim, path: string, accessToken?: string) {
  const headers: Record<string, string> = accessToken ? { authorization: `Bearer ${accessToken}` } : {};
  const result = await http(path.startsWith('http') ? path : `${pim.url}${path}`, { headers });
  return { status: result.status, body: JSON.parse(result.text) as unknown };
}

export const COLLECTION_CONTENT_TYPE = 'application/vnd.akeneo.collection+json';

/** PATCH /api/rest/v1/products-uuid with an NDJSON body, read whole. */
export async function patchProductCollection(
  pim: SandboxPim,
  body: string,
  options: { token?: string; contentType?: string | null } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const contentType = options.contentType === undefined ? COLLECTION_CONTENT_TYPE : options.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  const response = await request(`${pim.url}/api/rest/v1/products-uuid`, { method: 'PATCH', headers, body });
  const location = response.headers.location;
  return {
    status: response.statusCode,
    location: typeof location === 'string' ? location : undefined,
    contentType: String(response.headers['content-type'] ?? ''),
    text: await response.body.text(),
  };
}

/** The lines of a collection answer, parsed. */
export function collectionLines(text: string): Record<string, unknown>[] {
  return text === '' ? [] : text.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** An API call with a JSON body (or a raw one), read whole; the body is parsed when it is JSON, '' when empty. */
export async function apiSend(
  pim: SandboxPim,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  options: { token?: string; json?: unknown; body?: string; contentType?: string | null } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const body = options.body ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  const contentType =
    options.contentType === undefined && body !== undefined ? 'application/json' : options.contentType;
  if (contentType) headers['content-type'] = contentType;
  const response = await request(path.startsWith('http') ? path : `${pim.url}${path}`, { method, headers, body });
  const text = await response.body.text();
  return { status: response.statusCode, body: text === '' ? '' : (JSON.parse(text) as unknown) };
}
