import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  type EventPlatformSecrets,
  LocalFileEventPlatformSecretStore,
  SecretsManagerEventPlatformSecretStore,
  type WritableEventPlatformSecretStore,
} from '../../functions/adapters/event-platform-secrets';
import { loadConfig } from '../../functions/config';
import { eventPlatformSecretNameFor } from '../../functions/contract/names';
import { createEventPlatformSecretStore } from '../../functions/wiring/adapters/event-platform-secrets';
import { awsClients } from '../../functions/wiring/aws-clients';
import { overrideEnv } from '../support/process-env';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from '../support/secrets-manager-stand-in';

const PIM_HOST = 'localhost:3001';
const PREFIX = 'akeneo-custom-app/pims';
/** Every secret below contains this word; no error message may. */
const SECRET_WORD = 'supersecret';

let generated = 0;
function secretsNumbered(n: number, { secondary = false } = {}): EventPlatformSecrets {
  return {
    events: {
      primary: `${SECRET_WORD}-events-primary-${n}`,
      ...(secondary ? { secondary: `${SECRET_WORD}-events-secondary-${n}` } : {}),
    },
    notifications: `${SECRET_WORD}-notifications-${n}`,
  };
}
function generate(): EventPlatformSecrets {
  generated += 1;
  return secretsNumbered(generated);
}

async function messageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a rejection');
}

/** What each implementation must do; `writeRaw` stores a value the way ops (or a mistake) could. */
function behavesAsASecretStore(
  make: () => WritableEventPlatformSecretStore,
  writeRaw: (pimHost: string, text: string) => Promise<void>,
) {
  let store: WritableEventPlatformSecretStore;
  beforeEach(() => {
    store = make();
  });

  it('has nothing for a PIM it was never given secrets for', async () => {
    await expect(store.get('never.example.com')).resolves.toBeUndefined();
  });

  it('stores what `ensure` generates, and returns it afterwards without generating again', async () => {
    const host = 'ensure.example.com';
    const first = await store.ensure(host, generate);
    const count = generated;

    expect(await store.ensure(host, generate)).toEqual(first);
    expect(await store.get(host)).toEqual(first);
    expect(generated).toBe(count);
  });

  it('gives two racing `ensure` calls the same secrets', async () => {
    const host = 'race.example.com';
    const [a, b] = await Promise.all([store.ensure(host, generate), store.ensure(host, generate)]);

    expect(a).toEqual(b);
    expect(await store.get(host)).toEqual(a);
  });

  it('replaces stored secrets with `put`, the secondary included, and drops it again', async () => {
    const host = 'rotate.example.com';
    await store.ensure(host, generate);
    const rotating = secretsNumbered(100, { secondary: true });
    await store.put(host, rotating);
    expect(await store.get(host)).toEqual(rotating);

    const promoted = {
      events: { primary: rotating.events.secondary as string },
      notifications: rotating.notifications,
    };
    await store.put(host, promoted);
    expect(await store.get(host)).toEqual(promoted);
  });

  it('refuses `put` for a PIM that has no secrets yet, and creates none', async () => {
    const host = 'missing.example.com';
    expect(await messageOf(store.put(host, secretsNumbered(1)))).toContain(host);
    await expect(store.get(host)).resolves.toBeUndefined();
  });

  it.each([
    ['not JSON', `{"events": {"primary": "${SECRET_WORD}-broken`],
    ['no notifications secret', JSON.stringify({ events: { primary: `${SECRET_WORD}-0123456789` } })],
    [
      'a secret too short',
      JSON.stringify({ events: { primary: 'short' }, notifications: `${SECRET_WORD}-0123456789` }),
    ],
    [
      'a secret too long',
      JSON.stringify({ events: { primary: SECRET_WORD.repeat(30) }, notifications: `${SECRET_WORD}-0123456789` }),
    ],
  ])('refuses a stored value with %s, saying where without quoting it', async (_case, text) => {
    const host = 'malformed.example.com';
    await writeRaw(host, text);

    const message = await messageOf(store.get(host));
    expect(message).toContain('Event Platform secrets');
    expect(message).not.toContain(SECRET_WORD.slice(0, 6));
    expect(await messageOf(store.ensure(host, generate))).not.toContain(SECRET_WORD.slice(0, 6));
  });
}

describe('the local file Event Platform secret store', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'event-platform-secrets-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  behavesAsASecretStore(
    () => new LocalFileEventPlatformSecretStore(dataDir),
    async (pimHost, text) => {
      const { directory } = new LocalFileEventPlatformSecretStore(dataDir);
      mkdirSync(directory, { recursive: true });
      writeFileSync(join(directory, `${pimHost}.json`), text, { mode: 0o600 });
    },
  );

  it('keeps each PIM in its own file, readable by its owner only, and leaves no file aside', async () => {
    const store = new LocalFileEventPlatformSecretStore(dataDir);
    await store.ensure(PIM_HOST, generate);
    await store.put(PIM_HOST, secretsNumbered(7, { secondary: true }));
    const file = join(store.directory, 'localhost_3001.json');

    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(store.directory).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(secretsNumbered(7, { secondary: true }));
    expect(readdirSync(store.directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('is what the wiring gives a local app, under DATA_DIR', () => {
    const config = loadConfig({ APP_MODE: 'local', DATA_DIR: dataDir });
    const store = createEventPlatformSecretStore(config, awsClients('callback'));

    expect(store).toBeInstanceOf(LocalFileEventPlatformSecretStore);
    expect(store).toMatchObject({ directory: join(dataDir, 'event-platform-secrets') });
  });
});

describe('the Secrets Manager Event Platform secret store', () => {
  let standIn: SecretsManagerStandIn;
  let restoreEnv: () => void;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    standIn = await startSecretsManagerStandIn();
    restoreEnv = overrideEnv({
      AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'eu-west-1',
    });
    client = new SecretsManagerClient({});
  });

  afterAll(async () => {
    client.destroy();
    await standIn.close();
    restoreEnv();
  });

  behavesAsASecretStore(
    () => new SecretsManagerEventPlatformSecretStore({ client, prefix: PREFIX }),
    async (pimHost, text) => {
      standIn.secrets.delete(eventPlatformSecretNameFor(PREFIX, pimHost));
      await client.send(
        new CreateSecretCommand({ Name: eventPlatformSecretNameFor(PREFIX, pimHost), SecretString: text }),
      );
    },
  );

  it('keeps a PIM in `<prefix>/<pim host key>/event-platform`, beside its credentials, as JSON', async () => {
    const store = new SecretsManagerEventPlatformSecretStore({ client, prefix: PREFIX });
    const secrets = await store.ensure(PIM_HOST, generate);
    const stored = standIn.secrets.get('akeneo-custom-app/pims/localhost_3001/event-platform');

    expect(stored).toBeDefined();
    expect(JSON.parse(stored?.versions.at(-1)?.secretString ?? '')).toEqual(secrets);
  });

  it('reads Secrets Manager again on every call by default, so a rotation staged elsewhere is seen at once', async () => {
    const host = 'fresh.example.com';
    const reader = new SecretsManagerEventPlatformSecretStore({ client, prefix: PREFIX });
    const writer = new SecretsManagerEventPlatformSecretStore({ client, prefix: PREFIX });
    await writer.ensure(host, generate);
    await reader.get(host);
    const rotating = secretsNumbered(200, { secondary: true });
    await writer.put(host, rotating);

    expect(await reader.get(host)).toEqual(rotating);
  });

  it('reuses a value for maxAgeSeconds when asked to, and forgets it on its own put', async () => {
    const host = 'cached.example.com';
    const store = new SecretsManagerEventPlatformSecretStore({ client, prefix: PREFIX, maxAgeSeconds: 300 });
    await store.ensure(host, generate);
    await store.get(host);
    const before = standIn.calls.filter((call) => call === 'GetSecretValue').length;
    await store.get(host);
    expect(standIn.calls.filter((call) => call === 'GetSecretValue').length).toBe(before);

    const rotating = secretsNumbered(300, { secondary: true });
    await store.put(host, rotating);
    expect(await store.get(host)).toEqual(rotating);
  });

  it('is what the wiring gives an AWS app, under the credentials prefix', async () => {
    const config = loadConfig({ APP_MODE: 'aws', CREDENTIALS_SECRET_PREFIX: 'other/prefix/' });
    const store = createEventPlatformSecretStore(config, awsClients('callback'));
    await store.ensure('wired.example.com', generate);

    expect(store).toBeInstanceOf(SecretsManagerEventPlatformSecretStore);
    expect(standIn.secrets.has('other/prefix/wired.example.com/event-platform')).toBe(true);
  });
});
