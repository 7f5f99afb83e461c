import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbConnectionStore } from '../adapters/connection-store';
import { DynamoDbStateStore } from '../adapters/state-store';
import type { TokenCipher } from '../adapters/token-cipher/interface';
import { KmsTokenCipher } from '../adapters/token-cipher/kms';
import { LocalKeyTokenCipher } from '../adapters/token-cipher/local-key';
import { OpenIdVerifier } from '../akeneo/openid';
import { PimHttp } from '../akeneo/pim-http';
import type { CallbackHandlerDeps } from '../callback';
import { type Config, ConfigError } from '../config';
import { createLogger } from '../observability/logger';
import { completeConnect } from '../use-cases/complete-connect';
import {
  createCredentialsRegistry,
  createDocumentClient,
  type RuntimeOptions,
  systemNow,
  systemRandomBytes,
} from './shared';

export function createTokenCipher(config: Config): TokenCipher {
  if (config.mode === 'local') return LocalKeyTokenCipher.fromDataDir(config.dataDir);
  if (!config.tokenKmsKeyId) throw new ConfigError(['TOKEN_KMS_KEY_ID is required on AWS']);
  return new KmsTokenCipher({ keyId: config.tokenKmsKeyId });
}

/** Everything Callback uses, chosen from the configuration once per cold start. */
export function createCallbackDeps(
  config: Config,
  options: RuntimeOptions & { readonly documentClient?: DynamoDBDocumentClient } = {},
): CallbackHandlerDeps {
  const randomBytes = options.randomBytes ?? systemRandomBytes;
  const logger = createLogger();
  const client = options.documentClient ?? createDocumentClient(config);
  const http = new PimHttp({
    connectTimeoutMs: config.pimConnectTimeoutMs,
    responseTimeoutMs: config.pimResponseTimeoutMs,
  });
  return {
    completeConnect: completeConnect({
      states: new DynamoDbStateStore({ client, tableName: config.statesTableName }),
      connections: new DynamoDbConnectionStore({ client, tableName: config.connectionsTableName }),
      credentials: createCredentialsRegistry(config),
      cipher: createTokenCipher(config),
      openId: new OpenIdVerifier(http),
      http,
      randomBytes,
      onCredentialsRetry: (pimHost) =>
        logger.warn('The PIM refused the cached credentials; retrying with freshly read ones', { pimHost }),
    }),
    logger,
    randomBytes,
    now: options.now ?? systemNow,
  };
}
