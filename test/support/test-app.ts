import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDbConnectionStore } from '../../functions/adapters/connection-store';
import { LocalFileCredentialsRegistry } from '../../functions/adapters/credentials-registry';
import { type Config, loadConfig } from '../../functions/config';
import { type LocalApp, startLocalApp } from '../../local/local-app';
import type { SandboxOptions, SandboxPim } from '../../sandbox';
import type { Page, TestBrowser } from './browser';
import { dynamoDbEndpoint, testDocumentClient, uniqueTableNames } from './dynamodb';

export interface TestAppOptions {
  /** Extra settings, as environment variables. */
  readonly env?: Record<string, string>;
  /** The app's clock, epoch seconds. */
  readonly now?: () => number;
  /** The sandbox PIM's catalog size. */
  readonly sandboxProducts?: number;
  /** Also start the empty rehearsal sandbox PIM, as `npm start` does. */
  readonly rehearsal?: boolean;
  /** The sandbox PIM's Event Platform options, or `false` for a PIM without one. */
  readonly sandboxEventPlatform?: SandboxOptions['eventPlatform'];
}

export interface TestApp extends LocalApp {
  readonly sandbox: SandboxPim;
  readonly clientId: string;
  readonly connections: DynamoDbConnectionStore;
  readonly registry: LocalFileCredentialsRegistry;
  readonly pimHost: string;
}

/** The real local app (handlers, DynamoDB Local, sandbox PIM over HTTP) in a fresh data directory. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'akeneo-app-test-'));
  const tables = uniqueTableNames();
  const config: Config = loadConfig({
    APP_MODE: 'local',
    DATA_DIR: dataDir,
    DYNAMODB_ENDPOINT: dynamoDbEndpoint(),
    STATES_TABLE_NAME: tables.statesTableName,
    CONNECTIONS_TABLE_NAME: tables.connectionsTableName,
    CALL_SLOTS_TABLE_NAME: tables.callSlotsTableName,
    ...options.env,
  });
  const app = await startLocalApp({
    config,
    port: 0,
    sandbox: {
      port: 0,
      ...(options.sandboxProducts ? { productCount: options.sandboxProducts } : {}),
      ...(options.rehearsal ? { rehearsalPort: 0 } : {}),
      ...(options.sandboxEventPlatform === undefined ? {} : { eventPlatform: options.sandboxEventPlatform }),
    },
    runtime: options.now ? { now: options.now } : {},
  });
  const sandbox = app.sandbox as SandboxPim;
  const registry = new LocalFileCredentialsRegistry(dataDir);
  const pimHost = new URL(sandbox.url).host;
  const clientId = app.sandboxApp?.clientId;
  if (!clientId) throw new Error('The local app did not create its sandbox app');
  return {
    ...app,
    sandbox,
    clientId,
    registry,
    pimHost,
    connections: new DynamoDbConnectionStore({
      client: testDocumentClient(),
      tableName: tables.connectionsTableName,
    }),
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ConnectAttempt {
  readonly activate: Page;
  /** Whether the PIM showed its consent screen. */
  readonly consentShown: boolean;
  readonly state: string;
  readonly code: string;
  readonly callbackUrl: string;
}

/** Clicks *Connect* (or *Open app*) in the sandbox PIM and goes as far as the callback URL, without opening it. */
export async function startConnecting(app: TestApp, browser: TestBrowser): Promise<ConnectAttempt> {
  const store = await browser.get(`${app.sandbox.url}/connect/apps/${app.clientId}/activate`);
  const activate = await browser.get(required(store.location, 'the PIM to send the browser to Activate'));
  const authorizeUrl = required(activate.location, `Activate to redirect (got ${activate.status})`);
  const state = required(new URL(authorizeUrl).searchParams.get('state'), 'a state in the authorize URL');
  const authorize = await browser.get(authorizeUrl);
  let callbackUrl: string;
  const consentShown = authorize.status === 200;
  if (consentShown) {
    const action = required(/<form[^>]*action="([^"]+)"/.exec(authorize.body)?.[1], 'a consent form');
    const fields = Object.fromEntries(
      [...authorize.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const confirm = await browser.postForm(new URL(action, app.sandbox.url).toString(), fields);
    callbackUrl = required(confirm.location, 'the consent to redirect to the callback');
  } else {
    callbackUrl = required(authorize.location, `the PIM to redirect to the callback (got ${authorize.status})`);
  }
  const code = required(new URL(callbackUrl).searchParams.get('code'), 'a code in the callback URL');
  return { activate, consentShown, state, code, callbackUrl };
}

/** The whole connection, ending on the app's page. */
export async function connect(app: TestApp, browser: TestBrowser): Promise<ConnectAttempt & { page: Page }> {
  const attempt = await startConnecting(app, browser);
  return { ...attempt, page: await browser.get(attempt.callbackUrl) };
}

function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`Expected ${what}`);
  return value;
}
