import type { Logger } from '@aws-lambda-powertools/logger';
import {
  DynamoDbCatalogStore,
  DynamoDbConnectionAccessStore,
  DynamoDbConnectionStore,
} from '../adapters/connection-store';
import { DynamoDbStateStore } from '../adapters/state-store';
import { OpenIdVerifier } from '../akeneo/openid';
import { PimHttp } from '../akeneo/pim-http';
import { type Config, requireSetting } from '../config';
import { CATALOG_STEP_TIMEOUT_MS } from '../core/product-source';
import { createLogger } from '../observability/logger';
import { type AppMetrics, createMetrics } from '../observability/metrics';
import { type CompleteConnect, completeConnect } from '../use-cases/complete-connect';
import { type ConnectCatalog, connectCatalog } from '../use-cases/connect-catalog';
import { type SubscribeToEventPlatform, subscribeToEventPlatform } from '../use-cases/subscribe-to-event-platform';
import { createCallSlots } from './adapters/call-slots';
import { createCredentialsRegistry } from './adapters/credentials-registry';
import { createDocumentClient } from './adapters/dynamodb';
import { createEventPlatformSecretStore } from './adapters/event-platform-secrets';
import { createTokenCipher } from './adapters/token-cipher';
import { type AwsClients, awsClients } from './aws-clients';
import { pimAccessOver } from './pim-access';
import { type RuntimeOptions, systemNow, systemRandomBytes } from './runtime-options';

/** Everything the Callback handler uses. */
export interface CallbackHandlerDeps {
  readonly completeConnect: CompleteConnect;
  readonly logger: Logger;
  /** Connections started, completed, and failed by error code. */
  readonly metrics?: AppMetrics;
  readonly randomBytes: (size: number) => Uint8Array;
  /** Epoch seconds. */
  readonly now: () => number;
}

/** The adapters Callback uses: states, connections, credentials, the token cipher and the PIM's endpoints. */
export function createCallbackAdapters(config: Config, aws: AwsClients = awsClients('callback')) {
  const client = createDocumentClient(config, aws);
  const http = new PimHttp({ timeoutMs: config.pimTimeoutMs });
  const connections = new DynamoDbConnectionStore({
    client,
    tableName: requireSetting(config, 'connectionsTableName'),
  });
  return {
    states: new DynamoDbStateStore({ client, tableName: requireSetting(config, 'statesTableName') }),
    connections,
    credentials: createCredentialsRegistry(config, aws),
    cipher: createTokenCipher(config, aws),
    openId: new OpenIdVerifier(http),
    http,
    eventPlatformSecrets: createEventPlatformSecretStore(config, aws),
  };
}

/** The Event Platform step, where the app has a public URL for the platform to deliver to; else none. */
function createSubscribeStep(
  config: Config,
  adapters: ReturnType<typeof createCallbackAdapters>,
  randomBytes: (size: number) => Uint8Array,
): SubscribeToEventPlatform | undefined {
  if (config.appPublicUrl === undefined) return undefined;
  return subscribeToEventPlatform({
    secrets: adapters.eventPlatformSecrets,
    connections: adapters.connections,
    platformUrl: config.eventPlatformUrl,
    appPublicUrl: config.appPublicUrl,
    subscriberName: config.serviceName,
    ...(config.eventPlatformContactEmail ? { contactEmail: config.eventPlatformContactEmail } : {}),
    timeoutMs: config.eventPlatformTimeoutMs,
    randomBytes,
    nowMs: () => Date.now(),
  });
}

/** Everything Callback uses, chosen from the configuration once per cold start. */
export function createCallbackDeps(config: Config, options: RuntimeOptions = {}): CallbackHandlerDeps {
  const randomBytes = options.randomBytes ?? systemRandomBytes;
  const logger = createLogger(config);
  const aws = awsClients('callback');
  const adapters = createCallbackAdapters(config, aws);
  const subscribe = createSubscribeStep(config, adapters, randomBytes);
  return {
    completeConnect: completeConnect({
      ...adapters,
      ...(config.productSource === 'catalog'
        ? { connectCatalog: createConnectCatalog(config, aws, adapters.cipher, randomBytes, logger) }
        : {}),
      ...(subscribe ? { subscribeToEventPlatform: subscribe } : {}),
      syncScheduleMinutes: config.syncScheduleMinutes,
      appScopes: config.scopes,
      randomBytes,
      onCredentialsRetry: (pimHost) =>
        logger.warn('The PIM refused the cached credentials; retrying with freshly read ones', { pimHost }),
    }),
    logger,
    metrics: createMetrics(config),
    randomBytes,
    now: options.now ?? systemNow,
  };
}

/**
 * The catalog source's step of the callback: the PIM's catalog calls go through its call slots, shared with the sync
 * and every worker, with the token just exchanged.
 */
function createConnectCatalog(
  config: Config,
  aws: AwsClients,
  cipher: ReturnType<typeof createTokenCipher>,
  randomBytes: (size: number) => Uint8Array,
  logger: Logger,
): ConnectCatalog {
  const client = createDocumentClient(config, aws);
  const tableName = requireSetting(config, 'connectionsTableName');
  const pims = pimAccessOver(
    config,
    { store: new DynamoDbConnectionAccessStore({ client, tableName }), cipher },
    { callSlots: createCallSlots(config, aws), timeoutMs: config.pimTimeoutMs },
  );
  return connectCatalog({
    pims,
    store: new DynamoDbCatalogStore({ client, tableName }),
    catalogName: config.catalogName,
    now: () => new Date(),
    randomBytes,
    callTimeoutMs: config.pimTimeoutMs,
    stepTimeoutMs: CATALOG_STEP_TIMEOUT_MS,
    onUnfinished: (pimHost, reason, error) =>
      logger.warn("The app's catalog is not set up yet; the next sync tries again", {
        pimHost,
        reason,
        ...(error instanceof Error ? { errorName: error.name } : {}),
      }),
  });
}
