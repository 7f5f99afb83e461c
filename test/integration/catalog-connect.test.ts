import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCatalogStore, DynamoDbConnectionAccessStore } from '../../functions/adapters/connection-store';
import { LocalKeyTokenCipher } from '../../functions/adapters/token-cipher/local-key';
import { requireSetting } from '../../functions/config';
import { type ConnectCatalog, connectCatalog } from '../../functions/use-cases/connect-catalog';
import { pimAccessOver } from '../../functions/wiring/pim-access';
import { TestBrowser } from '../support/browser';
import { testDocumentClient } from '../support/dynamodb';
import { connect, startTestApp, type TestApp } from '../support/test-app';

const CATALOG_SOURCE = { PRODUCT_SOURCE: 'catalog', CATALOG_NAME: 'Acme export' };

/** The catalog step of a second function instance: its own entry point to the PIM, the same table. */
function anotherInstance(app: TestApp): ConnectCatalog {
  const client = testDocumentClient();
  const tableName = requireSetting(app.config, 'connectionsTableName');
  const pims = pimAccessOver(app.config, {
    store: new DynamoDbConnectionAccessStore({ client, tableName }),
    cipher: LocalKeyTokenCipher.fromDataDir(app.config.dataDir),
  });
  return connectCatalog({
    pims,
    store: new DynamoDbCatalogStore({ client, tableName }),
    catalogName: 'Acme export',
    now: () => new Date(),
    randomBytes: (size) => crypto.getRandomValues(new Uint8Array(size)),
    callTimeoutMs: 5000,
    stepTimeoutMs: 10_000,
  });
}

async function forgetStoredCatalog(app: TestApp): Promise<void> {
  await testDocumentClient().send(
    new UpdateCommand({
      TableName: requireSetting(app.config, 'connectionsTableName'),
      Key: { pimHost: app.pimHost },
      UpdateExpression: 'REMOVE catalogId',
    }),
  );
}

describe('the catalog source: the callback ensures the app catalog, over HTTP with the sandbox PIM', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: CATALOG_SOURCE });
  });

  afterAll(async () => {
    await app.close();
  });

  it('creates the catalog on the first connection, stores its id and links to it on the page (disabled)', async () => {
    // Act
    const { page } = await connect(app, new TestBrowser());

    // Assert
    const catalogs = app.sandbox.catalogs(app.clientId);
    expect(catalogs).toHaveLength(1);
    const [catalog] = catalogs;
    expect(catalog).toMatchObject({ name: 'Acme export', enabled: false });
    const connection = await app.connections.get(app.pimHost);
    expect(connection).toMatchObject({ catalogId: catalog?.id, catalogName: 'Acme export', catalogEnabled: false });
    expect(connection?.scopes).toEqual(expect.arrayContaining(['read_catalogs', 'write_catalogs', 'delete_catalogs']));
    expect(page.body).toContain('Products this app receives');
    expect(page.body).toContain('The catalog <strong>Acme export</strong> is <strong>disabled</strong>');
    expect(page.body).toContain(
      `<a class="button" href="${app.sandbox.url}/connect/apps/v1/catalogs/${catalog?.id}">Choose the products this app receives</a>`,
    );
  });

  it('reuses the stored catalog on the next connection, and shows it enabled once the PIM user enabled it', async () => {
    // Arrange
    const [catalog] = app.sandbox.catalogs(app.clientId);
    app.sandbox.enableCatalog(catalog?.id ?? '', true);

    // Act
    const { page } = await connect(app, new TestBrowser());

    // Assert
    expect(app.sandbox.catalogs(app.clientId).map(({ id }) => id)).toEqual([catalog?.id]);
    expect(page.body).toContain('The catalog <strong>Acme export</strong> is <strong>enabled</strong>');
    expect(await app.connections.get(app.pimHost)).toMatchObject({ catalogId: catalog?.id, catalogEnabled: true });
  });

  it('finds the catalog by its name when the connection no longer stores its id', async () => {
    // Arrange
    const [catalog] = app.sandbox.catalogs(app.clientId);
    await forgetStoredCatalog(app);

    // Act
    await connect(app, new TestBrowser());

    // Assert
    expect(app.sandbox.catalogs(app.clientId).map(({ id }) => id)).toEqual([catalog?.id]);
    expect((await app.connections.get(app.pimHost))?.catalogId).toBe(catalog?.id);
  });

  it('re-creates the catalog the PIM deleted, and says so on the page', async () => {
    // Arrange
    const [deleted] = app.sandbox.catalogs(app.clientId);
    app.sandbox.deleteCatalog(deleted?.id ?? '');

    // Act
    const { page } = await connect(app, new TestBrowser());

    // Assert
    const catalogs = app.sandbox.catalogs(app.clientId);
    expect(catalogs).toHaveLength(1);
    expect(catalogs[0]?.id).not.toBe(deleted?.id);
    const connection = await app.connections.get(app.pimHost);
    expect(connection).toMatchObject({ catalogId: catalogs[0]?.id, catalogEnabled: false });
    expect(connection?.catalogRecreatedAt).toEqual(expect.any(String));
    expect(page.body).toContain(`Re-created on ${connection?.catalogRecreatedAt}`);
    expect(page.body).toContain('is <strong>disabled</strong>');
  });

  it('never creates a second catalog when two callbacks race, each in its own function instance', async () => {
    // Arrange: no catalog in the PIM, none stored, and a slow PIM so that both steps overlap
    for (const catalog of app.sandbox.catalogs(app.clientId)) app.sandbox.deleteCatalog(catalog.id);
    await forgetStoredCatalog(app);
    const accessToken = app.sandbox.connectedApp(app.clientId)?.accessToken ?? '';
    app.sandbox.setApiLatency(150);

    try {
      // Act
      const views = await Promise.all(
        [anotherInstance(app), anotherInstance(app), anotherInstance(app)].map((step) =>
          step({ pimHost: app.pimHost, accessToken }),
        ),
      );

      // Assert
      const catalogs = app.sandbox.catalogs(app.clientId);
      expect(catalogs).toHaveLength(1);
      for (const view of views) expect(view).toMatchObject({ kind: 'ready', id: catalogs[0]?.id });
      expect((await app.connections.get(app.pimHost))?.catalogId).toBe(catalogs[0]?.id);
    } finally {
      app.sandbox.setApiLatency(0);
    }
  });

  it('still connects a PIM whose catalog API fails, and says the catalog is not set up yet', async () => {
    // Arrange
    await forgetStoredCatalog(app);
    const browser = new TestBrowser();

    // Act: the token request and the OpenID keys are not on /api/rest/v1; every catalog call is
    app.sandbox.injectApiFaults(
      Array.from({ length: 50 }, () => ({ kind: 'server-error' as const, status: 503 as const })),
    );
    let page: Awaited<ReturnType<typeof connect>>['page'];
    try {
      ({ page } = await connect(app, browser));
    } finally {
      app.sandbox.clearApiFaults();
    }

    // Assert
    expect(page.status).toBe(200);
    expect(page.body).toContain(`Connected to ${app.pimHost}`);
    expect(page.body).toContain("The app's catalog is not set up in this PIM yet");
    expect(await app.connections.get(app.pimHost)).toMatchObject({ status: 'active' });
  });
});

describe('the products source', () => {
  it('creates no catalog and shows none on the page', async () => {
    const app = await startTestApp();
    try {
      const { page } = await connect(app, new TestBrowser());

      expect(app.sandbox.catalogs(app.clientId)).toEqual([]);
      expect(page.body).not.toContain('Products this app receives');
      expect((await app.connections.get(app.pimHost))?.catalogId).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
