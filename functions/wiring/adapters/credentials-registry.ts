import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  type CredentialsRegistry,
  LocalFileCredentialsRegistry,
  SecretsManagerCredentialsRegistry,
} from '../../adapters/credentials-registry';
import type { Config } from '../../config';
import type { AwsClients } from '../aws-clients';

/** Secrets Manager on AWS (cached for `credentialsMaxAgeSeconds`); the data directory's file locally. */
export function createCredentialsRegistry(config: Config, aws: AwsClients): CredentialsRegistry {
  if (config.credentialsStore === 'local-file') return new LocalFileCredentialsRegistry(config.dataDir);
  return new SecretsManagerCredentialsRegistry({
    client: aws.create(SecretsManagerClient),
    prefix: config.credentialsSecretPrefix,
    maxAgeSeconds: config.credentialsMaxAgeSeconds,
  });
}
