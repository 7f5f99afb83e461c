import { join } from 'node:path';
import { makeActivateHandler } from '../functions/activate';
import { LocalFileCredentialsRegistry } from '../functions/adapters/credentials-registry';
import { InMemoryProductEventQueue } from '../functions/adapters/events-queue';
import { makeCallbackHandler } from '../functions/callback';
import type { Config } from '../functions/config';
import { EVENT_PLATFORM_ROUTES } from '../functions/contract/event-platform';
import { makeEventNotificationsWebhookHandler } from '../functions/event-notifications-webhook';
import { makeEventsWebhookHandler } from '../functions/events-webhook';
import type { HttpHandler } from '../functions/http/responses';
import { makeLandingHandler } from '../functions/landing';
import type { ProductEventsOutcome } from '../functions/use-cases/apply-product-events';
import { createActivateDeps } from '../functions/wiring/activate';
import { createCallbackDeps } from '../functions/wiring/callback';
import { createEventNotificationsWebhookDeps, createEventsWebhookDeps } from '../functions/wiring/event-webhooks';
import { createLandingDeps } from '../functions/wiring/landing';
import type { RuntimeOptions } from '../functions/wiring/runtime-options';
import { type SandboxApp, type SandboxOptions, type SandboxPim, startSandboxPim } from '../sandbox';
import { startAppServer } from './app-server';
import { lockDataDir } from './data-dir-lock';
import { announceEmbeddedDynamoDb, startEmbeddedDynamoDb } from './embedded-dynamodb';
import { type LocalEventWorker, startLocalEventWorker } from './event-worker-runner';
import { ensureLocalTables } from './tables';

export interface LocalAppOptions {
  /** Must be a local-mode configuration. */
  readonly config: Config;
  /** 0 picks a free port. */
  readonly port: number;
  /** Start the sandbox PIM beside the app and register its credentials, or not (to connect a real PIM). */
  readonly sandbox:
    | false
    | {
        readonly port: number;
        readonly productCount?: number;
        /** A second, empty sandbox PIM to rehearse Akeneo's custom-app steps (no app, no permission yet). */
        readonly rehearsalPort?: number;
        /** The sandbox's Event Platform: its options, or `false` for a PIM without one. @default on */
        readonly eventPlatform?: SandboxOptions['eventPlatform'];
      };
  readonly runtime?: RuntimeOptions;
  /** Told of each batch of product events the local event worker applied, or failed to. */
  readonly onProductEvents?: (pimHost: string, outcome: ProductEventsOutcome | { readonly failed: unknown }) => void;
}

export interface LocalApp {
  readonly url: string;
  readonly activateUrl: string;
  readonly callbackUrl: string;
  readonly config: Config;
  readonly sandbox?: SandboxPim;
  /** The sandbox's custom app for this local app (registered with the app when credentials live in the data directory). */
  readonly sandboxApp?: SandboxApp;
  readonly rehearsalSandbox?: SandboxPim;
  /** The events queue between the webhook and the event worker, in this process. */
  readonly eventsQueue: InMemoryProductEventQueue;
  /** The event worker draining the events queue in this process. */
  readonly eventWorker: LocalEventWorker;
  close(): Promise<void>;
}

export const SANDBOX_APP_NAME = 'Local app';
/** The two sandboxes side by side must not be taken for one another: each has its own name and header colour. */
export const SANDBOX_PIM_BRAND = { name: 'Sandbox PIM', accent: '#5e3bb3' } as const;
export const REHEARSAL_PIM_BRAND = { name: 'Rehearsal PIM', accent: '#9a3412' } as const;

/** The whole app on one machine: DynamoDB (embedded unless an endpoint is given), the handlers, the sandbox PIM. */
export async function startLocalApp(options: LocalAppOptions): Promise<LocalApp> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    let config = options.config;
    // Before anything in the data directory is touched: a second npm start on it must leave the first one alone.
    closers.push(lockDataDir(config.dataDir, 'npm start'));
    if (!config.dynamodbEndpoint) {
      const dynamodb = await startEmbeddedDynamoDb(config.dataDir);
      closers.push(dynamodb.close);
      config = { ...config, dynamodbEndpoint: dynamodb.endpoint, dynamodbAccessKeyId: dynamodb.accessKeyId };
      closers.push(announceEmbeddedDynamoDb(config.dataDir, dynamodb.endpoint));
    }
    await ensureLocalTables(config);

    // The callback subscribes each PIM to the Event Platform with webhook URLs on this server: its URL is known only
    // once it listens, so the callback's handler is made then.
    let callback: HttpHandler | undefined;
    const eventsQueue = new InMemoryProductEventQueue();
    const eventWorker = startLocalEventWorker({
      config,
      queue: eventsQueue,
      ...(options.runtime?.now ? { now: options.runtime.now } : {}),
      onOutcome: (pimHost, outcome) => options.onProductEvents?.(pimHost, outcome),
      onFailure: (pimHost, failed) => options.onProductEvents?.(pimHost, { failed }),
    });
    closers.push(eventWorker.close);
    const webhookOptions = { queue: eventsQueue, ...(options.runtime?.now ? { now: options.runtime.now } : {}) };
    const server = await startAppServer(
      {
        'GET /': makeLandingHandler(createLandingDeps(config)),
        'GET /activate': makeActivateHandler(createActivateDeps(config, options.runtime)),
        'GET /callback': (event) => (callback as HttpHandler)(event),
        [`POST ${EVENT_PLATFORM_ROUTES.events}/{pimHostKey}`]: makeEventsWebhookHandler(
          createEventsWebhookDeps(config, webhookOptions),
        ),
        [`POST ${EVENT_PLATFORM_ROUTES.notifications}/{pimHostKey}`]: makeEventNotificationsWebhookHandler(
          createEventNotificationsWebhookDeps(config, webhookOptions),
        ),
      },
      options.port,
    );
    closers.push(server.close);
    config = { ...config, appPublicUrl: config.appPublicUrl ?? server.url };
    callback = makeCallbackHandler(createCallbackDeps(config, options.runtime));
    const app = {
      url: server.url,
      activateUrl: `${server.url}/activate`,
      callbackUrl: `${server.url}/callback`,
      eventsQueue,
      eventWorker,
    };

    if (!options.sandbox) return { ...app, config, close };
    const sandbox = await startSandboxPim({
      ...SANDBOX_PIM_BRAND,
      port: options.sandbox.port,
      stateFile: join(config.dataDir, 'sandbox-pim.json'),
      productCount: options.sandbox.productCount,
      ...(options.sandbox.eventPlatform === undefined ? {} : { eventPlatform: options.sandbox.eventPlatform }),
    });
    closers.push(() => sandbox.close());
    const sandboxApp =
      sandbox.findAppByName(SANDBOX_APP_NAME) ??
      sandbox.addApp({ name: SANDBOX_APP_NAME, activateUrl: app.activateUrl, callbackUrl: app.callbackUrl });
    if (config.credentialsStore === 'local-file') registerSandboxApp(sandbox.url, sandboxApp, config);
    if (options.sandbox.rehearsalPort === undefined) return { ...app, config, sandbox, sandboxApp, close };
    const rehearsalSandbox = await startSandboxPim({
      ...REHEARSAL_PIM_BRAND,
      port: options.sandbox.rehearsalPort,
      stateFile: join(config.dataDir, 'rehearsal-pim.json'),
      productCount: options.sandbox.productCount,
      customAppPermission: false,
    });
    closers.push(() => rehearsalSandbox.close());
    return { ...app, config, sandbox, sandboxApp, rehearsalSandbox, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The sandbox's own custom app, registered with the app as ops would with `npm run pim -- add`. */
function registerSandboxApp(sandboxUrl: string, sandboxApp: SandboxApp, config: Config): void {
  const registry = new LocalFileCredentialsRegistry(config.dataDir);
  const pimHost = new URL(sandboxUrl).host;
  const registered = registry.list().find((entry) => entry.pimHost === pimHost);
  if (registered?.clientId === sandboxApp.clientId && registered?.clientSecret === sandboxApp.clientSecret) return;
  registry.put(pimHost, {
    pimUrl: sandboxUrl,
    clientId: sandboxApp.clientId,
    clientSecret: sandboxApp.clientSecret,
    updatedAt: new Date().toISOString(),
  });
}
