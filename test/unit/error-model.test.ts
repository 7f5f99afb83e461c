import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as connectionStoreErrors from '../../functions/adapters/connection-store/errors';
import * as credentialsRegistryErrors from '../../functions/adapters/credentials-registry/errors';
import * as tokenCipherErrors from '../../functions/adapters/token-cipher/errors';
import * as restErrors from '../../functions/akeneo/rest-errors';
import * as config from '../../functions/config';
import * as coreErrors from '../../functions/core/errors';
import { AppError, asAppError, ERROR_CODES, UnexpectedError } from '../../functions/core/errors';
import * as syncErrors from '../../functions/core/sync-errors';
import * as dataDirLock from '../../local/data-dir-lock';
import * as opsErrors from '../../ops/errors';

const ROOT = join(__dirname, '..', '..');

/** Every module that declares error classes; each class in them takes its code from `ERROR_CODES`. */
const ERROR_MODULES: Record<string, Record<string, unknown>> = {
  'functions/core/errors.ts': coreErrors,
  'functions/core/sync-errors.ts': syncErrors,
  'functions/akeneo/rest-errors.ts': restErrors,
  'functions/adapters/connection-store/errors.ts': connectionStoreErrors,
  'functions/adapters/credentials-registry/errors.ts': credentialsRegistryErrors,
  'functions/adapters/token-cipher/errors.ts': tokenCipherErrors,
  'functions/config.ts': config,
  'ops/errors.ts': opsErrors,
  'local/data-dir-lock.ts': dataDirLock,
};

/**
 * The transport's own signals (functions/akeneo/transport-error.ts): never thrown past functions/akeneo/, where
 * pim-http.ts and rest-client.ts turn each into a coded error.
 */
const TRANSPORT_SIGNALS = ['TransportError', 'AnswerTooLargeError'];

type ErrorClass = new (...args: unknown[]) => Error;

const errorClasses = Object.entries(ERROR_MODULES).flatMap(([file, module]) =>
  Object.entries(module)
    .filter((entry): entry is [string, ErrorClass] => typeof entry[1] === 'function')
    .filter(([, value]) => value.prototype instanceof Error && value !== (AppError as unknown))
    .map(([name, ErrorClass]) => ({ file, name, ErrorClass })),
);

/** One instance of any error class: a one-item list reads as its text in a message, and as a list to `ConfigError`. */
const instanceOf = (ErrorClass: ErrorClass) =>
  Reflect.construct(ErrorClass, [['x'], 'x']) as Error & { code?: unknown };

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the error model', () => {
  it('lists each code once', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('gives every error class of the error modules one code from the list, and every code exactly one class', () => {
    const errors = errorClasses.map(({ name, ErrorClass }) => ({ name, error: instanceOf(ErrorClass) }));
    const codes = errors.map(({ error }) => error.code);

    expect(errors.length).toBeGreaterThan(20);
    expect(errors.filter(({ error }) => !(error instanceof AppError)).map(({ name }) => name)).toEqual([]);
    expect([...codes].sort()).toEqual([...ERROR_CODES].sort());
  });

  it('names each error after its class', () => {
    for (const { name, ErrorClass } of errorClasses) expect(instanceOf(ErrorClass).name).toBe(name);
  });

  it('declares no error class outside the error modules, and no two with the same name', () => {
    const declared = ['functions', 'ops', 'local', 'bin', 'lib'].flatMap((folder) =>
      sourceFiles(join(ROOT, folder)).flatMap((path) =>
        [...readFileSync(path, 'utf8').matchAll(/\bclass (\w+Error) extends /g)].map(
          ([, name]) => `${relative(ROOT, path)}: ${name}`,
        ),
      ),
    );
    const expected = [
      'functions/core/errors.ts: AppError',
      ...errorClasses.map(({ file, name }) => `${file}: ${name}`),
      ...TRANSPORT_SIGNALS.map((name) => `functions/akeneo/transport-error.ts: ${name}`),
    ];

    expect(declared.sort()).toEqual(expected.sort());
    const names = declared.map((line) => line.split(': ')[1]);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('asAppError', () => {
  it('keeps a coded error as it is', () => {
    const error = new coreErrors.PimUnavailableError('The PIM did not answer');

    expect(asAppError(error)).toBe(error);
  });

  it.each([
    ['an Error', new Error('socket hang up')],
    ['an Error with a code of its own', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['an Error with a look-alike code', Object.assign(new Error('x'), { code: 'pim_unavailable' })],
    ['a thrown string', 'boom'],
  ])('wraps %s as unexpected, with it as the cause', (_case, thrown) => {
    const error = asAppError(thrown);

    expect(error).toBeInstanceOf(UnexpectedError);
    expect(error.code).toBe('unexpected');
    expect(error.cause).toBe(thrown);
  });
});
