import type { ActivateHandlerDeps } from '../activate';
import { DynamoDbStateStore } from '../adapters/state-store';
import { type Config, requireSetting } from '../config';
import { createLogger } from '../observability/logger';
import { startConnect } from '../use-cases/start-connect';
import { createCredentialsRegistry } from './credentials';
import { createDocumentClient, type RuntimeOptions, systemNow, systemRandomBytes } from './shared';

/** The adapters Activate uses: it reads credentials and writes states, and never sees a connection. */
export function createActivateAdapters(config: Config) {
  return {
    credentials: createCredentialsRegistry(config, 'activate'),
    states: new DynamoDbStateStore({
      client: createDocumentClient(config, 'activate'),
      tableName: requireSetting(config, 'statesTableName'),
    }),
  };
}

/** Everything Activate uses, chosen from the configuration once per cold start. */
export function createActivateDeps(config: Config, options: RuntimeOptions = {}): ActivateHandlerDeps {
  const randomBytes = options.randomBytes ?? systemRandomBytes;
  return {
    startConnect: startConnect({
      ...createActivateAdapters(config),
      scopes: config.scopes,
      local: config.mode === 'local',
      randomBytes,
    }),
    logger: createLogger(),
    randomBytes,
    now: options.now ?? systemNow,
  };
}
