import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { request } from 'undici';
import { localDynamoDbClientConfig } from '../../functions/wiring/local-dynamodb';
import { DataDirInUseError, lockDataDir } from '../../local/data-dir-lock';
import {
  announceEmbeddedDynamoDb,
  type EmbeddedDynamoDb,
  runningEmbeddedDynamoDb,
  startEmbeddedDynamoDb,
  withLocalDynamoDb,
} from '../../local/embedded-dynamodb';

const LOCK_FILE = 'data-dir.lock';

function clientOf(endpoint: string, accessKeyId: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'x' } });
}

/** A pid that no process has any more: a child that already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('the embedded DynamoDB', () => {
  let dataDir: string;
  let database: EmbeddedDynamoDb;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'embedded-dynamodb-'));
    database = await startEmbeddedDynamoDb(dataDir);
  });

  afterAll(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a client that presents the random key of its data directory, kept in a 0600 file', async () => {
    const client = new DynamoDBClient(localDynamoDbClientConfig(database));
    const key = readFileSync(join(dataDir, 'dynamodb-key'), 'utf8').trim();

    await expect(client.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
    expect(database.accessKeyId).toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dataDir, 'dynamodb-key')).mode & 0o777).toBe(0o600);
    client.destroy();
  });

  it('refuses a client without that key, and says which key it needs', async () => {
    const stranger = clientOf(database.endpoint, 'local');
    const lastDigit = database.accessKeyId.slice(-1);
    const almost = clientOf(database.endpoint, `${database.accessKeyId.slice(0, -1)}${lastDigit === '0' ? '1' : '0'}`);

    for (const client of [stranger, almost]) {
      await expect(client.send(new ListTablesCommand({}))).rejects.toMatchObject({
        name: 'UnrecognizedClientException',
        message: expect.stringContaining('accepts only the access key of its data directory (DATA_DIR/dynamodb-key)'),
      });
      client.destroy();
    }
  });

  it('refuses anything a browser sends, preflight or request, without a CORS header', async () => {
    const signedWithTheKey = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      'x-amz-date': '20250101T000000Z',
      authorization: `AWS4-HMAC-SHA256 Credential=${database.accessKeyId}/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
    };
    const attempts = [
      { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } },
      { method: 'OPTIONS', headers: {} },
      { method: 'POST', headers: { ...signedWithTheKey, origin: 'https://evil.example' } },
      { method: 'POST', headers: { ...signedWithTheKey, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' } },
    ] as const;

    for (const { method, headers } of attempts) {
      const response = await request(database.endpoint, {
        method,
        headers,
        body: method === 'POST' ? '{}' : undefined,
      });
      const body = await response.body.text();
      expect(response.statusCode).toBe(403);
      expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
      expect(JSON.parse(body)).toEqual({
        __type: 'com.amazon.coral.service#AccessDeniedException',
        message: 'The embedded DynamoDB of npm start refuses requests from web browsers',
      });
    }
  });

  it('is found by other local tools through its announcement, with its key', async () => {
    const withdraw = announceEmbeddedDynamoDb(dataDir, database.endpoint);
    const announced = runningEmbeddedDynamoDb(dataDir);
    await withdraw();

    expect(announced).toEqual({ endpoint: database.endpoint, accessKeyId: database.accessKeyId });
    expect(runningEmbeddedDynamoDb(dataDir)).toBeUndefined();
  });
});

describe('the data directory lock', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'data-dir-lock-'));
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const lockContent = () => JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as Record<string, unknown>;

  it('is one 0600 file naming the process and its command, refused to anyone else while it lives', async () => {
    const release = lockDataDir(dataDir, 'npm start');

    expect(lockContent()).toMatchObject({ pid: process.pid, command: 'npm start' });
    expect(statSync(join(dataDir, LOCK_FILE)).mode & 0o777).toBe(0o600);
    expect(() => lockDataDir(dataDir, 'npm run sync')).toThrow(
      new DataDirInUseError(
        `The data directory ${dataDir} is in use by process ${process.pid} (npm start). Stop it first, or use another DATA_DIR.`,
      ),
    );
    await release();
    const again = lockDataDir(dataDir, 'npm run sync');
    expect(lockContent()).toMatchObject({ pid: process.pid, command: 'npm run sync' });
    await again();
  });

  it('is taken over when the process that held it is gone', async () => {
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: deadPid(), command: 'npm start', token: 'old' }));

    const release = lockDataDir(dataDir, 'npm start');

    expect(lockContent()).toMatchObject({ pid: process.pid, command: 'npm start' });
    await release();
  });

  it('is released only by its holder', async () => {
    const release = lockDataDir(dataDir, 'npm start');
    const someoneElse = JSON.stringify({ pid: process.pid, command: 'npm start', token: 'theirs' });
    writeFileSync(join(dataDir, LOCK_FILE), someoneElse);

    await release();

    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).toBe(someoneElse);
  });

  it('keeps a local tool from opening the database of a process that holds the lock but announced none', async () => {
    const release = lockDataDir(dataDir, 'npm run sync');
    const work = jest.fn(async () => 'opened');

    await expect(withLocalDynamoDb(dataDir, undefined, 'npm run pim', work)).rejects.toThrow(DataDirInUseError);
    expect(work).not.toHaveBeenCalled();
    await release();
  });

  it('is held by a local tool while it has the database open on its own, and released after', async () => {
    const seen = await withLocalDynamoDb(dataDir, undefined, 'npm run pim', async (database) => {
      const client = new DynamoDBClient(localDynamoDbClientConfig(database));
      try {
        await client.send(new ListTablesCommand({}));
        return lockContent();
      } finally {
        client.destroy();
      }
    });

    expect(seen).toMatchObject({ pid: process.pid, command: 'npm run pim' });
    expect(() => statSync(join(dataDir, LOCK_FILE))).toThrow(/ENOENT/);
  });
});
