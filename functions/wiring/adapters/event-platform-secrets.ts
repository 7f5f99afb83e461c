import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  LocalFileEventPlatformSecretStore,
  SecretsManagerEventPlatformSecretStore,
  type WritableEventPlatformSecretStore,
} from '../../adapters/event-platform-secrets';
import type { Config } from '../../config';
import type { AwsClients } from '../aws-clients';

/**
 * Each PIM's Event Platform secrets beside its credentials: Secrets Manager on AWS (under the credentials' prefix),
 * the data directory locally. `maxAgeSeconds` lets a function that reads them on every request reuse a value.
 */
export function createEventPlatformSecretStore(
  config: Config,
  aws: AwsClients,
  { maxAgeSeconds = 0 }: { readonly maxAgeSeconds?: number } = {},
): WritableEventPlatformSecretStore {
  if (config.credentialsStore === 'local-file') return new LocalFileEventPlatformSecretStore(config.dataDir);
  return new SecretsManagerEventPlatformSecretStore({
    client: aws.create(SecretsManagerClient),
    prefix: config.credentialsSecretPrefix,
    maxAgeSeconds,
  });
}
