import { PassThrough } from 'node:stream';
import { ConfigError, loadConfig } from '../../../functions/config';
import {
  awsUserAgent,
  eventPlatformSecretNameFor,
  isValidSecretPrefix,
  pimHostFromKey,
  pimHostKey,
  secretNameFor,
} from '../../../functions/contract/names';
import { resolveProps } from '../../../lib/akeneo-custom-app-props';
import { resolveTarget } from '../../../ops/target';

describe('a PIM host in a secret name or an object key', () => {
  it.each([
    ['pim.example.com', 'pim.example.com'],
    ['localhost:3001', 'localhost_3001'],
    ['127.0.0.1:8080', '127.0.0.1_8080'],
  ])('writes %s as %s and reads it back', (host, key) => {
    expect(pimHostKey(host)).toBe(key);
    expect(pimHostFromKey(key)).toBe(host);
  });

  it('names one secret per PIM under the prefix', () => {
    expect(secretNameFor('akeneo-custom-app/pims', 'localhost:3001')).toBe('akeneo-custom-app/pims/localhost_3001');
  });

  it('names its Event Platform secrets beside its credentials', () => {
    expect(eventPlatformSecretNameFor('akeneo-custom-app/pims', 'localhost:3001')).toBe(
      'akeneo-custom-app/pims/localhost_3001/event-platform',
    );
  });
});

describe('the user agent of a function’s AWS clients', () => {
  it('names the function after the app, as the IAM audit and CloudTrail read it', () => {
    expect(awsUserAgent('sync-worker')).toBe('akeneo-custom-app/sync-worker');
  });
});

/** Whether the runtime, the ops CLI and the stack each accept a prefix (trailing slashes aside). */
async function acceptedBy(prefix: string) {
  const runtime = (() => {
    try {
      loadConfig({ APP_MODE: 'aws', CREDENTIALS_SECRET_PREFIX: prefix });
      return true;
    } catch (error) {
      if (error instanceof ConfigError) return false;
      throw error;
    }
  })();
  const io = { stdin: new PassThrough(), stdout: { write: () => true }, stderr: { write: () => true }, isTTY: false };
  const ops = await resolveTarget({ aws: true, region: 'eu-west-1', secretPrefix: prefix }, { ...io, env: {} }).then(
    () => true,
    () => false,
  );
  const stack = (() => {
    try {
      resolveProps({ secretNamePrefix: prefix });
      return true;
    } catch {
      return false;
    }
  })();
  return { runtime, ops, stack };
}

describe('one secret-name prefix rule for the runtime, the ops CLI and the stack', () => {
  it.each([
    ['the default', 'akeneo-custom-app/pims', true],
    ['one segment with every allowed character', 'a_b+c=d.e@f-g', true],
    ['an empty segment', 'akeneo//pims', false],
    ['a leading slash', '/akeneo/pims', false],
    ['a colon', 'akeneo:pims', false],
    ['a space', 'akeneo pims', false],
    ['200 characters', 'a'.repeat(200), true],
    ['201 characters', 'a'.repeat(201), false],
  ])('%s: all three agree', async (_name, prefix, valid) => {
    expect(isValidSecretPrefix(prefix)).toBe(valid);
    await expect(acceptedBy(prefix)).resolves.toEqual({ runtime: valid, ops: valid, stack: valid });
  });
});
