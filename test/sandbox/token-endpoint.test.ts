import type { SandboxApp, SandboxPim } from '../../sandbox';
import {
  authorizationCode,
  codeChallenge,
  postForm,
  requestToken,
  startSandboxWithApp,
  validTokenFields,
} from './sandbox-helpers';

const V1_CHALLENGE = 'a42178b773273f5c9f24387fbea546af537d08b8c06b23631e44878b9ce47f49';
const V3_IDENTIFIER = 'f'.repeat(128);
const V3_SECRET = 'MzA1NmE0ZmQ5YjQ4';
const V3_WRONG_ORDER = '25953367fd333924d1d502f6bafb5390f3592135b0243b66e9befd2946ff4e51';

describe('sandbox token endpoint', () => {
  let pim: SandboxPim;
  let app: SandboxApp;

  beforeAll(async () => {
    ({ pim, app } = await startSandboxWithApp());
    await authorizationCode(pim, app.clientId, 'read_products');
  });

  afterAll(() => pim.close());

  const freshCode = () => authorizationCode(pim, app.clientId, 'read_products');
  const without = (fields: Record<string, string>, name: string) => {
    const copy = { ...fields };
    delete copy[name];
    return copy;
  };

  it('computes the code challenge of vector V1', () => {
    expect(codeChallenge('abc', 'secret')).toBe(V1_CHALLENGE);
  });

  it('accepts V1 with a custom app whose secret is "secret"', async () => {
    const vectorApp = pim.addApp({
      name: 'Vector app',
      activateUrl: 'https://vector.example.com/activate',
      callbackUrl: 'https://vector.example.com/callback',
      clientSecret: 'secret',
    });
    const code = await authorizationCode(pim, vectorApp.clientId, 'read_products');
    const fields = { client_id: vectorApp.clientId, code, grant_type: 'authorization_code' };
    const response = await requestToken(pim, { ...fields, code_identifier: 'abc', code_challenge: V1_CHALLENGE });
    expect(response.status).toBe(200);
  });

  it('rejects the V3 secret-then-identifier order with invalid_client', async () => {
    const vectorApp = pim.addApp({
      name: 'Vector app 3',
      activateUrl: 'https://vector.example.com/activate',
      callbackUrl: 'https://vector.example.com/callback',
      clientSecret: V3_SECRET,
    });
    const code = await authorizationCode(pim, vectorApp.clientId, 'read_products');
    const fields = { client_id: vectorApp.clientId, code, grant_type: 'authorization_code' };
    const wrong = await requestToken(pim, {
      ...fields,
      code_identifier: V3_IDENTIFIER,
      code_challenge: V3_WRONG_ORDER,
    });
    expect(wrong).toEqual({ status: 400, body: { error: 'invalid_client' } });
    const right = codeChallenge(V3_IDENTIFIER, V3_SECRET);
    expect(right).toBe('9156edccca2f95c777db7f6d8f9b8eb38ceafbb829dc6666f378d3b738106b50');
    expect((await requestToken(pim, { ...fields, code_identifier: V3_IDENTIFIER, code_challenge: right })).status).toBe(
      200,
    );
  });

  describe('validation order (protocol 3.3)', () => {
    it('1: a wrong secret gives invalid_client even when the code is also bad', async () => {
      const fields = { ...validTokenFields(app, 'not-a-code'), code_challenge: codeChallenge('x', 'wrong') };
      expect(await requestToken(pim, fields)).toEqual({ status: 400, body: { error: 'invalid_client' } });
    });

    it('1: an unknown client with a challenge gives invalid_client', async () => {
      const fields = { ...validTokenFields(app, await freshCode()), client_id: 'unknown-client' };
      expect(await requestToken(pim, fields)).toEqual({ status: 400, body: { error: 'invalid_client' } });
    });

    it('2: a missing client_id gives invalid_request', async () => {
      const fields = without(validTokenFields(app, await freshCode()), 'client_id');
      expect(await requestToken(pim, fields)).toEqual({ status: 400, body: { error: 'invalid_request' } });
    });

    it('3: an unknown client without a challenge gives invalid_client', async () => {
      const fields = without({ ...validTokenFields(app, await freshCode()), client_id: 'unknown' }, 'code_challenge');
      expect(await requestToken(pim, fields)).toEqual({ status: 400, body: { error: 'invalid_client' } });
    });

    it('3: a registered but never connected app gives invalid_client', async () => {
      const idle = pim.addApp({
        name: 'Idle app',
        activateUrl: 'https://idle.example.com/activate',
        callbackUrl: 'https://idle.example.com/callback',
      });
      const fields = validTokenFields(idle, 'whatever');
      expect(await requestToken(pim, fields)).toEqual({ status: 400, body: { error: 'invalid_client' } });
    });

    it('4: a missing code gives invalid_request', async () => {
      const fields = without(validTokenFields(app, ''), 'code');
      expect(await requestToken(pim, fields)).toEqual({ status: 400, body: { error: 'invalid_request' } });
    });

    it('5: an unknown code gives invalid_grant "Code is not valid"', async () => {
      const expected = { status: 400, body: { error: 'invalid_grant', error_description: 'Code is not valid' } };
      expect(await requestToken(pim, validTokenFields(app, 'unknown-code'))).toEqual(expected);
    });

    it('5: a reused code gives invalid_grant "Code is not valid"', async () => {
      const code = await freshCode();
      expect((await requestToken(pim, validTokenFields(app, code))).status).toBe(200);
      const expected = { status: 400, body: { error: 'invalid_grant', error_description: 'Code is not valid' } };
      expect(await requestToken(pim, validTokenFields(app, code))).toEqual(expected);
    });

    it('6: a code older than 30 s gives invalid_grant "Code has expired"', async () => {
      const code = await freshCode();
      pim.advanceClock(31);
      const expected = { status: 400, body: { error: 'invalid_grant', error_description: 'Code has expired' } };
      expect(await requestToken(pim, validTokenFields(app, code))).toEqual(expected);
    });

    it('7: a missing grant_type gives unsupported_grant_type', async () => {
      const fields = without(validTokenFields(app, await freshCode()), 'grant_type');
      expect(await requestToken(pim, fields)).toEqual({ status: 400, body: { error: 'unsupported_grant_type' } });
    });

    it('7: another grant_type gives unsupported_grant_type', async () => {
      const fields = { ...validTokenFields(app, await freshCode()), grant_type: 'client_credentials' };
      expect(await requestToken(pim, fields)).toEqual({ status: 400, body: { error: 'unsupported_grant_type' } });
    });

    it('8: a missing code_identifier gives invalid_request', async () => {
      const fields = without(validTokenFields(app, await freshCode()), 'code_identifier');
      expect(await requestToken(pim, fields)).toEqual({ status: 400, body: { error: 'invalid_request' } });
    });

    it('9: a missing code_challenge gives invalid_request', async () => {
      const fields = without(validTokenFields(app, await freshCode()), 'code_challenge');
      expect(await requestToken(pim, fields)).toEqual({ status: 400, body: { error: 'invalid_request' } });
    });
  });

  it('answers a valid request with exactly access_token, token_type and scope', async () => {
    const { status, body } = await requestToken(pim, validTokenFields(app, await freshCode()));
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'scope']);
    expect(body.access_token).toMatch(/^[0-9A-Za-z]{86}$/);
    expect(body).toMatchObject({ token_type: 'bearer', scope: 'read_products' });
  });

  it('records every request without secrets, codes or tokens', () => {
    const records = pim.tokenRequests;
    expect(records.length).toBeGreaterThan(10);
    expect(records).toContainEqual({ clientId: app.clientId, status: 400, error: 'unsupported_grant_type' });
    expect(records).toContainEqual({ clientId: app.clientId, status: 200 });
    const serialised = JSON.stringify(records);
    expect(serialised).not.toContain(app.clientSecret);
    expect(
      records.every((record) => Object.keys(record).every((key) => ['clientId', 'status', 'error'].includes(key))),
    ).toBe(true);
  });

  describe('faults', () => {
    afterEach(() => pim.setTokenEndpointFault(undefined));

    it('server-error answers 500 with an HTML page', async () => {
      pim.setTokenEndpointFault({ kind: 'server-error' });
      const result = await postForm(`${pim.url}/connect/apps/v1/oauth2/token`, validTokenFields(app, 'x'));
      expect(result.status).toBe(500);
      expect(result.contentType).toContain('text/html');
    });

    it('malformed-json answers 200 application/json that does not parse', async () => {
      pim.setTokenEndpointFault({ kind: 'malformed-json' });
      const result = await postForm(`${pim.url}/connect/apps/v1/oauth2/token`, validTokenFields(app, 'x'));
      expect(result.status).toBe(200);
      expect(result.contentType).toContain('application/json');
      expect(() => JSON.parse(result.text)).toThrow();
    });

    it('delay answers normally after the delay', async () => {
      pim.setTokenEndpointFault({ kind: 'delay', ms: 200 });
      const started = Date.now();
      const response = await requestToken(pim, validTokenFields(app, await freshCode()));
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    });
  });
});
