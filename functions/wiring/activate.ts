import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbStateStore } from '../adapters/state-store';
import { type Config, requireSetting } from '../config';
import { createLogger } from '../observability/logger';
import { type AppMetrics, createMetrics } from '../observability/metrics';
import { type StartConnect, startConnect } from '../use-cases/start-connect';
import { createCredentialsRegistry } from './adapters/credentials-registry';
import { createDocumentClient } from './adapters/dynamodb';
import { type AwsClients, awsClients } from './aws-clients';
import { type RuntimeOptions, systemNow, systemRandomBytes } from './runtime-options';

/** Everything the Activate handler uses. */
export interface ActivateHandlerDeps {
  readonly startConnect: StartConnect;
  readonly logger: Logger;
  /** Connections started, completed, and failed by error code. */
  readonly metrics?: AppMetrics;
  readonly randomBytes: (size: number) => Uint8Array;
  /** Epoch seconds. */
  readonly now: () => number;
}

/** The adapters Activate uses: it reads credentials and writes states, and never sees a connection. */
export function createActivateAdapters(config: Config, aws: AwsClients = awsClients('activate')) {
  return {
    credentials: createCredentialsRegistry(config, aws),
    states: new DynamoDbStateStore({
      client: createDocumentClient(config, aws),
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
    logger: createLogger(config),
    metrics: createMetrics(config),
    randomBytes,
    now: options.now ?? systemNow,
  };
}
