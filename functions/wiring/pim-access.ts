import { type CallSlots, InProcessCallSlots } from '../adapters/call-slots';
import { type ConnectionAccessStore, DynamoDbConnectionAccessStore } from '../adapters/connection-store';
import type { TokenCipher } from '../adapters/token-cipher/interface';
import { type Config, requireSetting, requireSettings } from '../config';
import { PIM_ACCESS_SETTINGS } from '../contract/function-environment';
import type { RetryPolicy } from '../core/backoff';
import { PimAccess, type PimRetryEvent } from '../pim-access';
import { createCallSlots } from './adapters/call-slots';
import { createDocumentClient } from './adapters/dynamodb';
import { createTokenCipher } from './adapters/token-cipher';
import type { AwsClients } from './aws-clients';

export interface PimAccessOptions {
  /**
   * The connections' call slots. @default for `createPimAccess`, the slots every function shares (DynamoDB leases:
   * `CALL_SLOTS_TABLE_NAME`); for `pimAccessOver`, this instance's own (`InProcessCallSlots`), for tests that run one
   * function alone
   */
  readonly callSlots?: CallSlots;
  /** Tests shorten the backoff; the defaults follow Akeneo's advice. */
  readonly retry?: RetryPolicy;
  /** Told of each wait before a retry, with the PIM it is for. */
  readonly onRetry?: (event: PimRetryEvent) => void;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/**
 * The entry point to the connected PIMs for any function, from its configuration and its AWS clients: the
 * Connections table (`CONNECTIONS_TABLE_NAME`), the token cipher (KMS on AWS: `TOKEN_KMS_KEY_ID`; the local key
 * locally) and the call slots shared with every other function (`CALL_SLOTS_TABLE_NAME`); without one of them the
 * function stops at start, with one error naming each missing setting. A worker needs this one call:
 *
 *   const pims = createPimAccess(loadConfig(process.env), awsClients(workerName('my-worker')));
 *   const outcome = await pims.withPim(pimHost, (pim) => pim.patchProducts(lines));
 */
export function createPimAccess(config: Config, aws: AwsClients, options: PimAccessOptions = {}): PimAccess {
  // Locally the tokens are sealed with the data directory's key file, not KMS.
  requireSettings(
    config,
    PIM_ACCESS_SETTINGS.filter((key) => config.mode === 'aws' || key !== 'tokenKmsKeyId'),
  );
  return pimAccessOver(
    config,
    {
      store: new DynamoDbConnectionAccessStore({
        client: createDocumentClient(config, aws),
        tableName: requireSetting(config, 'connectionsTableName'),
      }),
      cipher: createTokenCipher(config, aws),
    },
    { ...options, callSlots: options.callSlots ?? createCallSlots(config, aws) },
  );
}

/** The entry point over adapters a function already built (the sync worker shares its store and cipher with it). */
export function pimAccessOver(
  config: Config,
  adapters: { readonly store: ConnectionAccessStore; readonly cipher: Pick<TokenCipher, 'decrypt'> },
  options: PimAccessOptions = {},
): PimAccess {
  return new PimAccess({
    ...adapters,
    pimUrlPolicy: { local: config.mode === 'local' },
    callSlots: options.callSlots ?? new InProcessCallSlots(),
    now: options.now ?? (() => new Date()),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
}
