import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbConnectionStore } from '../adapters/connection-store';
import { DynamoDbStateStore } from '../adapters/state-store';
import { OpenIdVerifier } from '../akeneo/openid';
import { PimHttp } from '../akeneo/pim-http';
import { type Config, requireSetting } from '../config';
import { createLogger } from '../observability/logger';
import { type CompleteConnect, completeConnect } from '../use-cases/complete-connect';
import { type SubscribeToEventPlatform, subscribeToEventPlatform } from '../use-cases/subscribe-to-event-platform';
import { createCredentialsRegistry } from './adapters/credentials-registry';
import { createDocumentClient } from './adapters/dynamodb';
import { createEventPlatformSecretStore } from './adapters/event-platform-secrets';
import { createTokenCipher } from './adapters/token-cipher';
import { type AwsClients, awsClients } from './aws-clients';
import { type RuntimeOptions, systemNow, systemRandomBytes } from './runtime-options';

/** Everything the Callback handler uses. */
export interface CallbackHandlerDeps {
  readonly completeConnect: CompleteConnect;
  readonly logger: Logger;
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
  const adapters = createCallbackAdapters(config);
  const subscribe = createSubscribeStep(config, adapters, randomBytes);
  return {
    completeConnect: completeConnect({
      ...adapters,
      ...(subscribe ? { subscribeToEventPlatform: subscribe } : {}),
      randomBytes,
      onCredentialsRetry: (pimHost) =>
        logger.warn('The PIM refused the cached credentials; retrying with freshly read ones', { pimHost }),
    }),
    logger,
    randomBytes,
    now: options.now ?? systemNow,
  };
}
