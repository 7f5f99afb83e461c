import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DynamoDbConnectionStore } from '../../functions/adapters/connection-store';
import { loadConfig } from '../../functions/config';
import { ensureTables } from '../../local/tables';
import { dynamoDbEndpoint, testDocumentClient, uniqueTableNames } from '../support/dynamodb';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `bin/pim.ts` as a shell runs it, in its own process. `closed` names the standard streams whose reader has gone
 * away before the CLI writes anything, as `npm run pim -- --help | head -1` does once head has its line.
 */
function runPimProcess(argv: string[], options: ProcessOptions = {}) {
  return ended(spawn(TSX, [join(ROOT, 'bin', 'pim.ts'), ...argv], spawnOptions(options)), options);
}

/** `npm run -s pim -- <argv>`, as the README tells to pipe it into `jq`. */
function runNpmPim(argv: string[], options: ProcessOptions = {}) {
  return ended(spawn('npm', ['run', '-s', 'pim', '--', ...argv], spawnOptions(options)), options);
}

interface ProcessOptions {
  readonly closed?: Array<'stdout' | 'stderr'>;
  readonly env?: NodeJS.ProcessEnv;
}

function spawnOptions(options: ProcessOptions) {
  return {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
  };
}

function ended(child: ChildProcessByStdio<null, Readable, Readable>, options: ProcessOptions): Promise<Ended> {
  const output = { stdout: '', stderr: '' };
  for (const name of ['stdout', 'stderr'] as const) {
    if (options.closed?.includes(name)) child[name].destroy();
    else child[name].on('data', (chunk: Buffer) => (output[name] += chunk.toString('utf8')));
  }
  return new Promise<Ended>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, ...output }));
  });
}

describe('the ops CLI as a process', () => {
  it('ends quietly with 0 when the reader of its help goes away (`--help | head -1`)', async () => {
    const run = await runPimProcess(['--help'], { closed: ['stdout'] });

    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('ends with its own exit code, not a crash, when nobody reads its errors', async () => {
    const run = await runPimProcess(['frobnicate'], { closed: ['stderr'] });

    expect(run.code).toBe(2);
  });

  it('prints the version of package.json with --version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

    const run = await runPimProcess(['--version']);

    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  describe('with --json', () => {
    const tables = uniqueTableNames();
    let dataDir: string;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      const config = loadConfig({
        APP_MODE: 'local',
        STATES_TABLE_NAME: tables.statesTableName,
        CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
      });
      await ensureTables(testDocumentClient(), config);
      await new DynamoDbConnectionStore({
        client: testDocumentClient(),
        tableName: tables.connectionsTableName,
      }).saveAuthorization({
        pimHost: 'acme.cloud.akeneo.com',
        pimUrl: 'https://acme.cloud.akeneo.com',
        encryptedToken: 'ciphertext',
        tokenVersion: '0123456789abcdef',
        scopes: ['read_products'],
        connectedAt: '2026-11-28T00:00:00.000Z',
        stateHash: 'a'.repeat(64),
      });
      dataDir = mkdtempSync(join(tmpdir(), 'ops-cli-process-'));
      // One readable entry, and one without a client id: `list` warns about it.
      const entry = { pimUrl: 'https://acme.cloud.akeneo.com', clientSecret: 'x'.repeat(86), updatedAt: '2026-11-28' };
      const pims = {
        'acme.cloud.akeneo.com': { ...entry, clientId: '6f2c1a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b' },
        'broken.example.com': { ...entry, pimUrl: 'https://broken.example.com', clientId: '' },
      };
      writeFileSync(join(dataDir, 'credentials.json'), JSON.stringify({ pims }), { mode: 0o600 });
      env = {
        DATA_DIR: dataDir,
        DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
        STATES_TABLE_NAME: tables.statesTableName,
        CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
      };
    });

    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('`status` prints only JSON on stdout, through `npm run -s`', async () => {
      const run = await runNpmPim(['status', '--json'], { env });

      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([expect.objectContaining({ pimHost: 'acme.cloud.akeneo.com' })]);
    });

    it('`list` prints only JSON on stdout, and its warnings on stderr', async () => {
      const run = await runNpmPim(['list', '--json'], { env });

      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([
        expect.objectContaining({ pimHost: 'acme.cloud.akeneo.com' }),
        expect.objectContaining({ pimHost: 'broken.example.com', clientId: null }),
      ]);
      expect(run.stderr).toContain('warning: the credentials of https://broken.example.com');
    });
  });
});
