import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runLocalSync } from '../../local/sync-runner';
import type { SandboxPim } from '../../sandbox';
import { launchChromium } from '../support/chromium';
import { captureLogs, type LogCapture } from '../support/log-capture';
import { runPim } from '../support/pim-cli';
import { startTestApp, type TestApp } from '../support/test-app';

const ARTIFACTS = join(__dirname, '..', 'artifacts', 'rehearsal');

/**
 * Akeneo's three custom-app steps, then Regenerate and Disconnect, in a real Chromium on the empty rehearsal PIM
 * that `npm start` runs, with the ops CLI in between, exactly as the README tells a person to do them.
 */
describe("rehearsing Akeneo's custom-app steps in the sandbox", () => {
  let app: TestApp;
  let pim: SandboxPim;
  let browser: Browser;
  let page: Page;
  let logs: LogCapture;
  let clientId = '';
  const printed: string[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    logs = captureLogs();
    [app, browser] = await Promise.all([startTestApp({ rehearsal: true }), launchChromium()]);
    pim = app.rehearsalSandbox as SandboxPim;
    const context = await browser.newContext({ viewport: { width: 960, height: 720 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    logs?.stop();
  });

  const testId = (id: string) => page.locator(`[data-testid="${id}"]`);
  const cli = async (argv: string[], stdin = '') => {
    const env = {
      DATA_DIR: app.config.dataDir,
      DYNAMODB_ENDPOINT: app.config.dynamodbEndpoint,
      CONNECTIONS_TABLE_NAME: app.config.connectionsTableName,
    };
    const run = await runPim(argv, { env, stdin });
    printed.push(run.stdout, run.stderr);
    return run;
  };
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('shows the ready sandbox PIM and the rehearsal PIM under their own names and header colours', async () => {
    const looks = [];
    for (const url of [app.sandbox.url, pim.url]) {
      await page.goto(`${url}/connect/app-store`);
      looks.push({
        title: await page.title(),
        header: await page.locator('header strong').textContent(),
        colour: await page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor"),
      });
    }

    expect(looks).toEqual([
      { title: 'App Store | Sandbox PIM', header: 'Sandbox PIM', colour: 'rgb(94, 59, 179)' },
      { title: 'App Store | Rehearsal PIM', header: 'Rehearsal PIM', colour: 'rgb(154, 52, 18)' },
    ]);
  });

  it('1. gives the role the "Create and delete custom apps" permission, so that Create an App appears', async () => {
    await page.goto(`${pim.url}/connect/app-store`);
    await expect(testId('create-app').count()).resolves.toBe(0);

    await page.goto(`${pim.url}/system/roles`);
    await page.locator('[data-testid^="role-"]').first().click();
    await testId('permission-manage-custom-apps').check();
    await testId('save-permissions').click();
    await page.goto(`${pim.url}/connect/app-store`);

    await expect(testId('create-app').count()).resolves.toBe(1);
  });

  it('2. creates the app with the Activate and Callback URLs, and registers its credentials with the CLI', async () => {
    await testId('create-app').click();
    await testId('app-name').fill('Our app');
    await testId('activate-url').fill(app.activateUrl);
    await testId('callback-url').fill(app.callbackUrl);
    await testId('create-app-submit').click();
    await page.waitForURL('**/credentials');
    // The credentials page is a GET after a redirect: reloading it shows the same app and creates no other.
    await page.reload();
    clientId = (await testId('client-id').textContent()) ?? '';
    const secret = (await testId('client-secret').textContent()) ?? '';
    const command = (await testId('register-command').textContent()) ?? '';
    secrets.push(secret);
    await shot('credentials');

    expect(clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(secret).toMatch(/^[0-9A-Za-z]{86}$/);
    expect(command).toBe(`npm run pim -- add ${pim.url} --client-id ${clientId} --client-secret-stdin`);
    await page.goto(`${pim.url}/connect/app-store`);
    await expect(page.locator('[data-testid^="connect-"]').count()).resolves.toBe(1);
    const added = await cli(command.replace('npm run pim -- ', '').split(' '), secret);
    expect(added).toMatchObject({ code: 0, stderr: '' });
  });

  it('3. connects: Connect, consent, and the app says it is connected', async () => {
    await page.goto(`${pim.url}/connect/app-store`);
    await testId(`connect-${clientId}`).click();
    await testId('consent-confirm').click();
    await page.waitForURL(`${app.url}/callback?**`);
    await shot('connected');

    await expect(page.locator('h1').textContent()).resolves.toContain(`Connected to ${new URL(pim.url).host}`);
  });

  it('after Regenerate, the rotate command the PIM shows lets the next connection through', async () => {
    await page.goto(`${pim.url}/connect/connected-apps`);
    await testId(`regenerate-${clientId}`).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Regenerate the secret of Our app?');
    await testId('confirm-regenerate').click();
    await page.waitForURL(`${pim.url}/connect/connected-apps/${clientId}/secret`);
    // A GET after a redirect: reloading it shows the same secret and regenerates nothing.
    await page.reload();
    const secret = (await testId('client-secret').textContent()) ?? '';
    const command = (await testId('rotate-command').textContent()) ?? '';
    secrets.push(secret);
    const rotated = await cli(command.replace('npm run pim -- ', '').split(' '), secret);

    await page.goto(`${pim.url}/connect/connected-apps`);
    await testId(`open-${clientId}`).click();
    await page.waitForURL(`${app.url}/callback?**`);

    expect(rotated.code).toBe(0);
    await expect(page.locator('h1').textContent()).resolves.toContain('Connected to');
  });

  it('after Disconnect, the next sync marks the connection revoked', async () => {
    await page.goto(`${pim.url}/connect/connected-apps`);
    await testId(`disconnect-${clientId}`).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Disconnect Our app?');
    await testId('confirm-disconnect').click();
    await page.waitForURL(`${pim.url}/connect/connected-apps`);
    await shot('disconnected');

    const summary = await runLocalSync({ config: app.config });
    const status = await cli(['status', '--json']);

    const pimHost = new URL(pim.url).host;
    expect(summary.outcomes.find((entry) => entry.pimHost === pimHost)?.outcome).toMatchObject({ kind: 'revoked' });
    const connection = (JSON.parse(status.stdout) as Array<{ pimUrl: string; status: string }>).find(
      (entry) => entry.pimUrl === pim.url,
    );
    expect(connection?.status).toBe('revoked');
  });

  it('never printed a secret', () => {
    expect(secrets).toHaveLength(2);
    for (const secret of secrets) expect(printed.join('\n') + logs.text()).not.toContain(secret);
  });
});
