import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CredentialsRegistry, PimCredentials } from '../../functions/adapters/credentials-registry';
import { PimHttp } from '../../functions/akeneo/pim-http';
import { loadConfig } from '../../functions/config';
import { exchangeCode } from '../../functions/use-cases/exchange-code';
import { createCredentialsRegistry } from '../../functions/wiring/adapters/credentials-registry';
import { awsClients } from '../../functions/wiring/aws-clients';
import { type SandboxPim, startSandboxPim } from '../../sandbox';
import { TestBrowser } from '../support/browser';
import { overrideEnv } from '../support/process-env';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from '../support/secrets-manager-stand-in';

/**
 * A registry that, like the Secrets Manager one, serves a cached value until asked for a fresh one. It stands in
 * for the cache only: the PIM is the real sandbox over HTTP.
 */
class CachingRegistry implements CredentialsRegistry {
  cached: PimCredentials;
  current: PimCredentials;
  freshReads = 0;
  constructor(initial: PimCredentials) {
    this.cached = initial;
    this.current = initial;
  }
  async get(_pimHost: string, options: { fresh?: boolean } = {}) {
    if (options.fresh) {
      this.freshReads += 1;
      this.cached = this.current;
    }
    return this.cached;
  }
}

describe('exchangeCode after Regenerate in the PIM', () => {
  let sandbox: SandboxPim;
  let http: PimHttp;

  beforeAll(async () => {
    sandbox = await startSandboxPim({});
    http = new PimHttp({ timeoutMs: 2000 });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  async function freshCode(clientId: string): Promise<string> {
    const browser = new TestBrowser();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      scope: 'read_products',
      state: 's',
    });
    let page = await browser.get(`${sandbox.url}/connect/apps/v1/authorize?${query}`);
    if (page.status === 200) {
      page = await browser.postForm(`${sandbox.url}/connect/apps/v1/authorize/confirm`, {
        client_id: clientId,
        scope: 'read_products',
        state: 's',
      });
    }
    return new URL(page.location ?? '').searchParams.get('code') ?? '';
  }

  it('reads the credentials again on invalid_client and retries exactly once with the new secret', async () => {
    const app = sandbox.addApp({ name: 'Retry app', activateUrl: 'http://a.test/a', callbackUrl: 'http://a.test/c' });
    const registry = new CachingRegistry({ clientId: app.clientId, clientSecret: app.clientSecret });
    const code = await freshCode(app.clientId);
    registry.current = { clientId: app.clientId, clientSecret: sandbox.regenerateSecret(app.clientId) };
    const retries: string[] = [];
    const before = sandbox.tokenRequests.length;

    const result = await exchangeCode(
      { http, credentials: registry, randomBytes, onCredentialsRetry: (host) => retries.push(host) },
      { pimUrl: sandbox.url, pimHost: 'pim', code, credentials: registry.cached },
    );

    expect(result.token.scopes).toEqual(['read_products']);
    expect(result.credentials.clientSecret).toBe(registry.current.clientSecret);
    expect(sandbox.tokenRequests.slice(before).map((r) => r.error ?? r.status)).toEqual(['invalid_client', 200]);
    expect(registry.freshReads).toBe(1);
    expect(retries).toEqual(['pim']);
  });

  it('does not retry when the fresh credentials are the same: ops have not rotated yet', async () => {
    const app = sandbox.addApp({ name: 'Stale app', activateUrl: 'http://a.test/a', callbackUrl: 'http://a.test/c' });
    const registry = new CachingRegistry({ clientId: app.clientId, clientSecret: app.clientSecret });
    const code = await freshCode(app.clientId);
    sandbox.regenerateSecret(app.clientId);
    const before = sandbox.tokenRequests.length;

    await expect(
      exchangeCode(
        { http, credentials: registry, randomBytes },
        {
          pimUrl: sandbox.url,
          pimHost: 'pim',
          code,
          credentials: registry.cached,
        },
      ),
    ).rejects.toMatchObject({ code: 'pim_rejected_credentials' });
    expect(sandbox.tokenRequests.length - before).toBe(1);
    expect(registry.freshReads).toBe(1);
  });
});

/**
 * The functions' credentials cache, as wired from the settings, against Secrets Manager (a stand-in speaking its
 * protocol to the unmodified SDK and Powertools Parameters). Powertools dates its cache with Date, so only Date is
 * faked: the SDK's own timers and sockets run for real.
 */
describe('the credentials cache, after ops rotate a secret', () => {
  const MAX_AGE_SECONDS = 60;
  const PREFIX = 'cache-test/pims';
  const PIM_HOST = 'pim.example.com';
  let standIn: SecretsManagerStandIn;
  let restoreEnv: () => void;
  let admin: SecretsManagerClient;

  beforeAll(async () => {
    standIn = await startSecretsManagerStandIn();
    restoreEnv = overrideEnv({
      AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'eu-west-1',
    });
    admin = new SecretsManagerClient({});
  });

  afterEach(() => jest.useRealTimers());

  afterAll(async () => {
    admin.destroy();
    await standIn.close();
    restoreEnv();
  });

  const fakeDateOnly = (now: number) =>
    jest.useFakeTimers({
      now,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });

  it(`keeps the old secret until credentialsMaxAgeSeconds (${MAX_AGE_SECONDS} s) have passed, then reads the new one`, async () => {
    const name = `${PREFIX}/${PIM_HOST}`;
    const secret = (clientSecret: string) => JSON.stringify({ clientId: 'client-id', clientSecret });
    await admin.send(new CreateSecretCommand({ Name: name, SecretString: secret('before-rotation') }));
    const start = Date.parse('2026-11-28T12:00:00Z');
    fakeDateOnly(start);
    const registry = createCredentialsRegistry(
      loadConfig({
        CREDENTIALS_STORE: 'secrets-manager',
        CREDENTIALS_SECRET_PREFIX: PREFIX,
        CREDENTIALS_MAX_AGE_SECONDS: String(MAX_AGE_SECONDS),
      }),
      awsClients('callback'),
    );
    const read = async () => (await registry.get(PIM_HOST))?.clientSecret;

    expect(await read()).toBe('before-rotation');
    await admin.send(new PutSecretValueCommand({ SecretId: name, SecretString: secret('after-rotation') }));
    jest.setSystemTime(start + (MAX_AGE_SECONDS - 1) * 1000);
    expect(await read()).toBe('before-rotation');
    jest.setSystemTime(start + (MAX_AGE_SECONDS + 1) * 1000);
    expect(await read()).toBe('after-rotation');
    expect(standIn.calls.filter((call) => call === 'GetSecretValue')).toHaveLength(2);
  });
});
