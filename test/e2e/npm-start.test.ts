import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { request } from 'undici';
import { loadConfig } from '../../functions/config';
import { runLocalSync } from '../../local/sync-runner';
import { TestBrowser } from '../support/browser';
import { runPim } from '../support/pim-cli';

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly appUrl: string;
  readonly sandboxUrl: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs `npm start`'s entry point as a person would, with its own data directory and ports. */
function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/start.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no URLs:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const app = /^App: +(\S+)/m.exec(output)?.[1];
      const sandbox = /^Sandbox PIM: +(\S+)/m.exec(output)?.[1];
      if (app && sandbox) {
        clearTimeout(timer);
        resolve({ child, output: () => output, appUrl: app, sandboxUrl: sandbox });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

/** Runs `npm start` expecting it to give up: its exit code and everything it printed. */
function startExpectingRefusal(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/start.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

const announcedEndpoint = (dataDir: string): string =>
  (JSON.parse(readFileSync(join(dataDir, 'dynamodb-endpoint.json'), 'utf8')) as { endpoint: string }).endpoint;

function stop({ child }: Started): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function clickConnect(sandboxUrl: string) {
  const browser = new TestBrowser();
  const store = await browser.get(`${sandboxUrl}/connect/app-store`);
  const link = /href="([^"]+)"[^>]*data-testid="(?:connect|open)-/.exec(store.body)?.[1] ?? '';
  const activate = await browser.get((await browser.get(new URL(link, sandboxUrl).toString())).location ?? '');
  const authorize = await browser.get(activate.location ?? '');
  let callback = authorize.location;
  if (authorize.status === 200) {
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(authorize.body)?.[1] ?? '';
    const confirm = await browser.postForm(`${sandboxUrl}/connect/apps/v1/authorize/confirm`, {
      client_id: field('client_id'),
      scope: field('scope'),
      state: field('state'),
    });
    callback = confirm.location;
  }
  return { consentShown: authorize.status === 200, page: await browser.get(callback ?? '') };
}

describe('npm start', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the app and sandbox URLs, connects, and keeps the connection across a restart', async () => {
    const ports = { PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()) };
    const env = { ...ports, DATA_DIR: dataDir };

    const first = await start(env);
    let connected: Awaited<ReturnType<typeof clickConnect>>;
    try {
      expect(first.appUrl).toBe(`http://localhost:${ports.PORT}`);
      expect(first.output()).toContain(`Activate URL  http://localhost:${ports.PORT}/activate`);
      expect(first.output()).toContain(
        `Ready to connect: open ${first.sandboxUrl}/connect/app-store and click Connect on "Local app".`,
      );
      connected = await clickConnect(first.sandboxUrl);
    } finally {
      await stop(first);
    }
    expect(connected.consentShown).toBe(true);
    expect(connected.page.body).toContain(`Connected to localhost:${ports.SANDBOX_PORT}`);

    const second = await start(env);
    try {
      const again = await clickConnect(second.sandboxUrl);
      expect(again.consentShown).toBe(false);
      expect(again.page.status).toBe(200);
      expect(again.page.body).toContain('Connected to');
      expect(second.output()).not.toContain('NodeVersionSupportWarning');
      // The banner tells the state it found: connected since the first run.
      expect(second.output()).toContain(`Connected: "Local app" (the app's connection is active).`);
      expect(second.output()).not.toContain('Ready to connect');
    } finally {
      await stop(second);
    }
  });

  it('refuses a second start on the same DATA_DIR with one line, and leaves the first one working', async () => {
    const ports = { PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()) };
    const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-twice-'));
    const first = await start({ ...ports, DATA_DIR: dataDir });
    try {
      expect((await clickConnect(first.sandboxUrl)).page.status).toBe(200);
      const endpoint = announcedEndpoint(dataDir);
      const others = { PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()) };

      const refused = await startExpectingRefusal({ ...others, DATA_DIR: dataDir });

      expect(refused.code).not.toBe(0);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toBe(
        `The data directory ${dataDir} is in use by process ${first.child.pid} (npm start). Stop it first, or use another DATA_DIR.\n`,
      );
      expect(announcedEndpoint(dataDir)).toBe(endpoint);
      const status = await runPim(['status', '--json'], { env: { DATA_DIR: dataDir } });
      expect(status).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(status.stdout)).toEqual([
        expect.objectContaining({ pimUrl: `http://localhost:${ports.SANDBOX_PORT}`, status: 'active' }),
      ]);
      const sync = await runLocalSync({ config: loadConfig({ APP_MODE: 'local', DATA_DIR: dataDir }) });
      expect(sync.outcomes.map(({ outcome }) => outcome.kind)).toEqual(['completed']);
      expect((await clickConnect(first.sandboxUrl)).page.status).toBe(200);
    } finally {
      await stop(first);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("keeps its embedded DynamoDB from browsers and from clients without the data directory's key", async () => {
    const ports = { PORT: String(await freePort()), SANDBOX_PORT: String(await freePort()) };
    const running = await start({ ...ports, DATA_DIR: dataDir });
    try {
      const endpoint = announcedEndpoint(dataDir);
      const preflight = await request(endpoint, {
        method: 'OPTIONS',
        headers: {
          origin: running.appUrl,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-amz-target',
        },
      });
      await preflight.body.dump();
      const stranger = new DynamoDBClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });

      expect(preflight.statusCode).toBe(403);
      expect(Object.keys(preflight.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
      await expect(stranger.send(new ListTablesCommand({}))).rejects.toThrow(/access key of its data directory/);
      stranger.destroy();
    } finally {
      await stop(running);
    }
  });
});
