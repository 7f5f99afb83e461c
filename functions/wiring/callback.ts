import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbConnectionStore } from '../adapters/connection-store';
import { DynamoDbStateStore } from '../adapters/state-store';
import { OpenIdVerifier } from '../akeneo/openid';
import { PimHttp } from '../akeneo/pim-http';
import { type Config, requireSetting } from '../config';
import { createLogger } from '../observability/logger';
import { type AppMetrics, createMetrics } from '../observability/metrics';
import { type CompleteConnect, completeConnect } from '../use-cases/complete-connect';
import { createCredentialsRegistry } from './adapters/credentials-registry';
import { createDocumentClient } from './adapters/dynamodb';
import { createTokenCipher } from './adapters/token-cipher';
import { type AwsClients, awsClients } from './aws-clients';
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
  return {
    states: new DynamoDbStateStore({ client, tableName: requireSetting(config, 'statesTableName') }),
    connections: new DynamoDbConnectionStore({ client, tableName: requireSetting(config, 'connectionsTableName') }),
    credentials: createCredentialsRegistry(config, aws),
    cipher: createTokenCipher(config, aws),
    openId: new OpenIdVerifier(http),
    http,
  };
}

/** Everything Callback uses, chosen from the configuration once per cold start. */
export function createCallbackDeps(config: Config, options: RuntimeOptions = {}): CallbackHandlerDeps {
  const randomBytes = options.randomBytes ?? systemRandomBytes;
  const logger = createLogger(config);
  return {
    completeConnect: completeConnect({
      ...createCallbackAdapters(config),
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
