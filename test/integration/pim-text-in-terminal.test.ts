import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createTokenCipher } from '../../functions/wiring/adapters/token-cipher';
import { awsClients } from '../../functions/wiring/aws-clients';
import { runLocalSync } from '../../local/sync-runner';
import { type SandboxPim, startSandboxPim } from '../../sandbox';
import { TestBrowser } from '../support/browser';
import { controlCharactersIn } from '../support/control-characters';
import { dynamoDbEndpoint, testDocumentClient } from '../support/dynamodb';
import { type FakePim, startFakePim } from '../support/fake-pim';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { runPim } from '../support/pim-cli';
import { connect, startTestApp, type TestApp } from '../support/test-app';

/** What a hostile PIM would like a terminal to do: clear the screen, set the title, ring the bell, turn text red. */
const ESCAPES = '\u001b[2J\u001b]0;owned\u0007\u009b31m';

/**
 * Text a PIM controls (its 401 message, who connected, the scopes it granted) reaches `npm run pim -- status` and
 * `npm run sync`; none of it may carry a control character to the terminal, whether it arrives now or was stored
 * before the edge stripped it.
 */
describe('PIM text in the terminal', () => {
  let app: TestApp;
  let logs: LogCapture;
  let cliEnv: Record<string, string>;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    logs = captureLogs();
    app = await startTestApp();
    cliEnv = {
      DATA_DIR: app.config.dataDir,
      DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
      STATES_TABLE_NAME: app.config.statesTableName ?? '',
      CONNECTIONS_TABLE_NAME: app.config.connectionsTableName ?? '',
    };
  });

  afterAll(async () => {
    for (const close of closers) await close();
    await app.close();
    logs.stop();
  });

  /** `status` as a table and as JSON: line breaks are the printer's own, nothing else a terminal would act on. */
  async function status() {
    const table = await runPim(['status', '--wide'], { env: cliEnv });
    const json = await runPim(['status', '--json'], { env: cliEnv });
    expect(table.code).toBe(0);
    expect(json.code).toBe(0);
    for (const run of [table, json]) expect(controlCharactersIn(run.stdout.replaceAll('\n', ''))).toEqual([]);
    return { table: table.stdout, views: JSON.parse(json.stdout) as Array<Record<string, unknown>> };
  }

  it('keeps the escapes of a 401 message out of the stored reason, the sync outcome and `status`', async () => {
    const pim: FakePim = await startFakePim((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 401, message: `Disconnected${ESCAPES} by\r\nthe PIM` }));
    });
    closers.push(() => pim.close());
    const pimHost = new URL(pim.url).host;
    const sealer = await createTokenCipher(app.config, awsClients('callback')).prepare(pimHost);
    await app.connections.saveAuthorization({
      pimHost,
      pimUrl: pim.url,
      encryptedToken: sealer.seal('token-of-the-hostile-pim'),
      tokenVersion: '0123456789abcdef',
      // Every scope the app requests: the sync, not a scopes/update notice, meets the 401.
      scopes: [...app.config.scopes],
      connectedAt: '2026-11-28T00:00:00.000Z',
      stateHash: 'c'.repeat(64),
    });

    const summary = await runLocalSync({ config: app.config, pimHost });

    const reason = 'Disconnected[2J]0;owned31m by the PIM';
    // What `npm run sync` prints for this PIM.
    expect(summary.outcomes[0]?.outcome).toMatchObject({ kind: 'revoked', reason });
    const { table, views } = await status();
    expect(views.find((view) => view.pimHost === pimHost)).toMatchObject({ status: 'revoked', statusReason: reason });
    expect(table).toContain(`revoked (${reason})`);
  });

  it('keeps the escapes of the id_token names and email out of the connection and `status`', async () => {
    const hostile: SandboxPim = await startSandboxPim({
      port: 0,
      user: {
        username: 'mallory',
        firstname: `Mal${ESCAPES}`,
        lastname: 'Lory\n',
        email: `mallory@example.com${ESCAPES}`,
      },
    });
    closers.push(() => hostile.close());
    const hostileApp = hostile.addApp({ name: 'App', activateUrl: app.activateUrl, callbackUrl: app.callbackUrl });
    const pimHost = new URL(hostile.url).host;
    app.registry.put(pimHost, {
      pimUrl: hostile.url,
      clientId: hostileApp.clientId,
      clientSecret: hostileApp.clientSecret,
      updatedAt: new Date().toISOString(),
    });

    const { page } = await connect(
      { ...app, sandbox: hostile, clientId: hostileApp.clientId, pimHost },
      new TestBrowser(),
    );

    expect(page.status).toBe(200);
    const connectedBy = { name: 'Mal[2J]0;owned31m Lory', email: 'mallory@example.com[2J]0;owned31m' };
    expect((await app.connections.get(pimHost))?.connectedBy).toMatchObject(connectedBy);
    const { table, views } = await status();
    expect(views.find((view) => view.pimHost === pimHost)?.connectedBy).toMatchObject(connectedBy);
    expect(table).toContain(`${connectedBy.name} <${connectedBy.email}>`);
  });

  it('prints connections stored before the edge stripped anything without their control characters', async () => {
    const pimHost = 'stored-earlier.example.com';
    const stored = {
      name: `Old${ESCAPES}\tName`,
      email: `old${ESCAPES}@example.com`,
      scope: `read${ESCAPES}_products`,
      reason: `Revoked${ESCAPES}\r\nlong ago`,
    };
    await app.connections.saveAuthorization({
      pimHost,
      pimUrl: `https://${pimHost}`,
      encryptedToken: 'ciphertext',
      tokenVersion: 'fedcba9876543210',
      scopes: [stored.scope],
      connectedBy: { sub: `sub${ESCAPES}`, name: stored.name, email: stored.email },
      connectedAt: '2025-01-01T00:00:00.000Z',
      stateHash: 'd'.repeat(64),
    });
    await testDocumentClient().send(
      new UpdateCommand({
        TableName: app.config.connectionsTableName,
        Key: { pimHost },
        UpdateExpression: 'SET #status = :revoked, statusReason = :reason',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':revoked': 'revoked', ':reason': stored.reason },
      }),
    );

    const { table, views } = await status();

    expect(table).toContain('revoked (Revoked[2J]0;owned31m long ago)');
    expect(table).toContain('Old[2J]0;owned31m Name <old[2J]0;owned31m@example.com>');
    expect(table).toContain('read[2J]0;owned31m_products');
    // JSON escapes what it keeps: the values read back exactly as stored.
    expect(views.find((view) => view.pimHost === pimHost)).toMatchObject({
      statusReason: stored.reason,
      scopes: [stored.scope],
      connectedBy: { sub: `sub${ESCAPES}`, name: stored.name, email: stored.email },
    });
  });
});
