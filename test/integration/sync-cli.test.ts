import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunManifest } from '../../functions/adapters/product-sink';
import { MANIFEST_NAME, runPrefix } from '../../functions/adapters/product-sink';
import type { RunCompletedEvent } from '../../functions/contract/run-completed-event';
import { runLocalSync } from '../../local/sync-runner';
import { TestBrowser } from '../support/browser';
import { dynamoDbEndpoint } from '../support/dynamodb';
import { connect, startTestApp, type TestApp } from '../support/test-app';

/**
 * Item 12 of issue 12: what `npm run sync` prints, from its own process (bin/sync.ts) against the sandbox PIM over
 * HTTP and DynamoDB Local: changed and re-read products apart, the PIM on every line, and what happens after a failure.
 */
describe('npm run sync', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ sandboxProducts: 120 });
    expect((await connect(app, new TestBrowser())).page.status).toBe(200);
  });

  afterAll(async () => {
    await app.close();
  });

  afterEach(() => app.sandbox.clearApiFaults());

  function npmRunSync(): Promise<{ code: number | null; lines: string[]; stderr: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/sync.ts', '--pim', app.sandbox.url], {
      cwd: join(__dirname, '..', '..'),
      env: {
        ...process.env,
        DATA_DIR: app.config.dataDir,
        DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
        STATES_TABLE_NAME: app.config.statesTableName,
        CONNECTIONS_TABLE_NAME: app.config.connectionsTableName,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    return new Promise((resolve) =>
      child.on('close', (code) => resolve({ code, lines: `${stdout}${stderr}`.trim().split('\n'), stderr })),
    );
  }

  it('tells the changed products from those re-read from the overlap, and names the PIM on every line', async () => {
    // Ten products changed 3 s before a first sync: the next run's overlap (5 s before that sync) reads them again.
    app.sandbox.advanceClock(-3);
    app.sandbox.touchProducts(10);
    app.sandbox.advanceClock(3);
    await runLocalSync({ config: app.config, pimHost: app.pimHost });
    const changed = app.sandbox.touchProducts(5);

    const { code, lines } = await npmRunSync();

    expect(code).toBe(0);
    for (const line of lines) expect(line).toContain(app.pimHost);
    const complete = lines.find((line) => / complete/.test(line)) ?? '';
    expect(complete).toMatch(/15 products: 5 changed, 10 re-read from the overlap/);
    expect(lines.join('\n')).not.toMatch(/\d{5,} products\/s/);
    const runId = /run (\S+) complete/.exec(complete)?.[1] ?? '';
    const manifest = JSON.parse(
      readFileSync(
        join(app.config.dataDir, 'exports', runPrefix({ pimHost: app.pimHost, runId }), 'manifest.json'),
        'utf8',
      ),
    ) as RunManifest;
    expect(manifest).toMatchObject({ productCount: 15, rereadCount: 10 });
    expect(changed).toHaveLength(5);
  }, 60_000);

  it('prints the run-completed event on one line, the same as the file it writes under DATA_DIR/events', async () => {
    app.sandbox.advanceClock(10);
    app.sandbox.touchProducts(3);

    const { code, lines } = await npmRunSync();

    expect(code).toBe(0);
    const runId = /run (\S+) complete/.exec(lines.find((line) => / complete/.test(line)) ?? '')?.[1] ?? '';
    const eventLines = lines.filter((line) => line.startsWith(`${app.pimHost}: event {`));
    expect(eventLines).toHaveLength(1);
    const printed = JSON.parse(eventLines[0].slice(`${app.pimHost}: event `.length)) as RunCompletedEvent;
    const file = join(app.config.dataDir, 'events', app.pimHost.replace(':', '_'), `${runId}.json`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(printed);
    const manifestPath = join(app.config.dataDir, 'exports', runPrefix({ pimHost: app.pimHost, runId }), MANIFEST_NAME);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as RunManifest;
    expect(printed).toMatchObject({
      source: 'akeneo-custom-app',
      'detail-type': 'Sync Run Completed',
      time: manifest.completedAt,
      detail: {
        pimHost: app.pimHost,
        runId,
        manifest: { path: manifestPath },
        counts: {
          products: manifest.productCount,
          changed: manifest.productCount - manifest.rereadCount,
          reread: manifest.rereadCount,
          parts: manifest.parts.length,
        },
        window: manifest.window,
      },
    });
    expect(manifest.productCount).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('ends a failed run with what happens next, naming the PIM on the retry and failure lines', async () => {
    app.sandbox.injectApiFaults(
      Array.from({ length: 10 }, () => ({ kind: 'server-error' as const, status: 503 as const })),
    );

    const { code, lines } = await npmRunSync();

    expect(code).toBe(1);
    const retries = lines.filter((line) => /503/.test(line) && /retry/.test(line));
    expect(retries.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain(app.pimHost);
    expect(lines.at(-1)).toMatch(/failed.*Nothing lost: .*the next run starts from the same point/);
  }, 60_000);
});
