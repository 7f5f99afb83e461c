import { ConfigError, loadConfig, requireSetting } from '../../functions/config';
import { DEFAULT_APP_SCOPES } from '../../functions/core/scopes';

describe('loadConfig', () => {
  it('runs locally with defaults only', () => {
    const config = loadConfig({ APP_MODE: 'local' });
    expect(config).toMatchObject({
      mode: 'local',
      credentialsStore: 'local-file',
      dataDir: '.local',
      credentialsMaxAgeSeconds: 60,
    });
    expect(config.scopes).toEqual([...DEFAULT_APP_SCOPES].sort());
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the scopes from APP_SCOPES', () => {
    expect(loadConfig({ APP_MODE: 'local', APP_SCOPES: ' read_products  openid ' }).scopes).toEqual([
      'openid',
      'read_products',
    ]);
  });

  it('names every bad setting in one error', () => {
    const attempt = () =>
      loadConfig({ APP_MODE: 'aws', APP_SCOPES: 'read_products Bad-Scope', CREDENTIALS_MAX_AGE_SECONDS: '900' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'APP_SCOPES has invalid scopes: Bad-Scope',
        'CREDENTIALS_MAX_AGE_SECONDS must be a whole number from 0 to 300 (got "900")',
      ]);
    }
  });

  describe('the product source', () => {
    it('reads every product by default, with the default scopes and the default catalog name', () => {
      const config = loadConfig({ APP_MODE: 'aws' });
      expect(config).toMatchObject({ productSource: 'products', catalogName: 'akeneo-custom-app' });
      expect(config.scopes).not.toContain('read_catalogs');
    });

    it('asks for the catalog scopes by default when PRODUCT_SOURCE is catalog', () => {
      const config = loadConfig({ APP_MODE: 'aws', PRODUCT_SOURCE: 'catalog', CATALOG_NAME: ' Acme export ' });
      expect(config).toMatchObject({ productSource: 'catalog', catalogName: 'Acme export' });
      expect(config.scopes).toEqual(
        [...DEFAULT_APP_SCOPES, 'read_catalogs', 'write_catalogs', 'delete_catalogs'].sort(),
      );
    });

    it('refuses scopes that lack what the catalog source needs, an unknown source and an unusable name', () => {
      const attempt = () =>
        loadConfig({
          APP_SCOPES: 'read_products read_catalogs',
          PRODUCT_SOURCE: 'catalog',
          CATALOG_NAME: 'x'.repeat(256),
        });
      expect(attempt).toThrow(
        'APP_SCOPES must include delete_catalogs, write_catalogs when PRODUCT_SOURCE is catalog; ' +
          'CATALOG_NAME must be at most 255 characters',
      );
      expect(() => loadConfig({ PRODUCT_SOURCE: 'catalogs' })).toThrow(
        'PRODUCT_SOURCE must be one of products, catalog (got "catalogs")',
      );
      expect(() => loadConfig({ CATALOG_NAME: 'two\nlines' })).toThrow(
        'CATALOG_NAME must not contain control characters',
      );
    });
  });

  it('leaves each table name to the functions that need it', () => {
    const config = loadConfig({ APP_MODE: 'aws', STATES_TABLE_NAME: 'states' });
    expect(requireSetting(config, 'statesTableName')).toBe('states');
    expect(() => requireSetting(config, 'connectionsTableName')).toThrow('CONNECTIONS_TABLE_NAME is required');
  });

  it.each([
    ['on AWS', { APP_MODE: 'aws' }, 's3'],
    ['locally with a bucket', { APP_MODE: 'local', EXPORT_BUCKET_NAME: 'exports' }, 's3'],
    ['locally without a bucket', { APP_MODE: 'local' }, 'local-directory'],
    ['as EXPORT_SINK says', { APP_MODE: 'local', EXPORT_SINK: 's3' }, 's3'],
    [
      'as EXPORT_SINK says, even with a bucket',
      { APP_MODE: 'local', EXPORT_BUCKET_NAME: 'b', EXPORT_SINK: 'local-directory' },
      'local-directory',
    ],
  ])('picks the export sink %s', (_where, env, sink) => {
    expect(loadConfig(env).exportSink).toBe(sink);
  });

  it('refuses an unknown export sink, naming the ones there are', () => {
    expect(() => loadConfig({ EXPORT_SINK: 'ftp' })).toThrow(
      'EXPORT_SINK must be one of s3, local-directory (got "ftp")',
    );
  });

  it('checks the log level at start, in upper or lower case as Powertools takes it', () => {
    expect(loadConfig({ POWERTOOLS_LOG_LEVEL: 'debug' }).logLevel).toBe('DEBUG');
    expect(() => loadConfig({ POWERTOOLS_LOG_LEVEL: 'LOUD' })).toThrow(
      /POWERTOOLS_LOG_LEVEL must be one of TRACE, DEBUG/,
    );
  });

  it('refuses an unknown mode', () => {
    expect(() => loadConfig({ APP_MODE: 'staging' })).toThrow(/APP_MODE must be one of local, aws/);
  });
  it('reads the Event Platform settings: the management API (a template locally), the public URL and the contact', () => {
    expect(loadConfig({ APP_MODE: 'aws' })).toMatchObject({
      eventPlatformUrl: 'https://event.prd.sdk.akeneo.cloud/api/v1',
      eventPlatformTimeoutMs: 4000,
    });
    expect(loadConfig({ APP_MODE: 'aws' }).appPublicUrl).toBeUndefined();
    expect(loadConfig({ APP_MODE: 'local' }).eventPlatformUrl).toBe('{pimUrl}/event-platform/api/v1');
    expect(
      loadConfig({ APP_MODE: 'aws', APP_PUBLIC_URL: 'https://abc.execute-api.eu-west-1.amazonaws.com/' }).appPublicUrl,
    ).toBe('https://abc.execute-api.eu-west-1.amazonaws.com');
    expect(loadConfig({ APP_MODE: 'local', APP_PUBLIC_URL: 'http://localhost:3000' }).appPublicUrl).toBe(
      'http://localhost:3000',
    );
  });

  it.each([
    [{ APP_MODE: 'aws', APP_PUBLIC_URL: 'http://localhost:3000' }, 'APP_PUBLIC_URL must be an https URL'],
    [{ APP_MODE: 'aws', APP_PUBLIC_URL: 'https://app.example.com/?x=1' }, 'APP_PUBLIC_URL must be an https URL'],
    [
      { APP_MODE: 'aws', EVENT_PLATFORM_URL: 'http://event.example.com' },
      'EVENT_PLATFORM_URL cannot be used: it must use https',
    ],
    [
      { APP_MODE: 'aws', EVENT_PLATFORM_URL: 'https://x/{pimUrl}' },
      'EVENT_PLATFORM_URL cannot be used: {pimUrl} may only open',
    ],
    [
      { APP_MODE: 'aws', EVENT_PLATFORM_CONTACT_EMAIL: 'not an email' },
      'EVENT_PLATFORM_CONTACT_EMAIL must be an email',
    ],
    [{ APP_MODE: 'aws', EVENT_PLATFORM_TIMEOUT_MS: '20000' }, 'EVENT_PLATFORM_TIMEOUT_MS'],
  ])('refuses %j at start, naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
