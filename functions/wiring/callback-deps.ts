import { DynamoDbConnectionStore } from '../adapters/connection-store';
import { DynamoDbStateStore } from '../adapters/state-store';
import { OpenIdVerifier } from '../akeneo/openid';
import { PimHttp } from '../akeneo/pim-http';
import type { CallbackHandlerDeps } from '../callback';
import { type Config, requireSetting } from '../config';
import { createLogger } from '../observability/logger';
import { completeConnect } from '../use-cases/complete-connect';
import { createCredentialsRegistry } from './credentials';
import { createDocumentClient, type RuntimeOptions, systemNow, systemRandomBytes } from './shared';
import { createTokenCipher } from './token-cipher';

/** The adapters Callback uses: states, connections, credentials, the token cipher and the PIM's endpoints. */
export function createCallbackAdapters(config: Config) {
  const client = createDocumentClient(config, 'callback');
  const http = new PimHttp({ timeoutMs: config.pimTimeoutMs });
  return {
    states: new DynamoDbStateStore({ client, tableName: requireSetting(config, 'statesTableName') }),
    connections: new DynamoDbConnectionStore({ client, tableName: requireSetting(config, 'connectionsTableName') }),
    credentials: createCredentialsRegistry(config, 'callback'),
    cipher: createTokenCipher(config, 'callback'),
    openId: new OpenIdVerifier(http),
    http,
  };
}

/** Everything Callback uses, chosen from the configuration once per cold start. */
export function createCallbackDeps(config: Config, options: RuntimeOptions = {}): CallbackHandlerDeps {
  const randomBytes = options.randomBytes ?? systemRandomBytes;
  const logger = createLogger();
  return {
    completeConnect: completeConnect({
      ...createCallbackAdapters(config),
      randomBytes,
      onCredentialsRetry: (pimHost) =>
        logger.warn('The PIM refused the cached credentials; retrying with freshly read ones', { pimHost }),
    }),
    logger,
    randomBytes,
    now: options.now ?? systemNow,
  };
}
