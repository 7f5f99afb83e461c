import type { ActivateHandlerDeps } from '../activate';
import { DynamoDbStateStore } from '../adapters/state-store';
import type { Config } from '../config';
import { createLogger } from '../observability/logger';
import { startConnect } from '../use-cases/start-connect';
import {
  createCredentialsRegistry,
  createDocumentClient,
  type RuntimeOptions,
  systemNow,
  systemRandomBytes,
} from './shared';

/** Everything Activate uses, chosen from the configuration once per cold start. */
export function createActivateDeps(config: Config, options: RuntimeOptions = {}): ActivateHandlerDeps {
  const randomBytes = options.randomBytes ?? systemRandomBytes;
  return {
    startConnect: startConnect({
      credentials: createCredentialsRegistry(config),
      states: new DynamoDbStateStore({ client: createDocumentClient(config), tableName: config.statesTableName }),
      scopes: config.scopes,
      local: config.mode === 'local',
      randomBytes,
    }),
    logger: createLogger(),
    randomBytes,
    now: options.now ?? systemNow,
  };
}
