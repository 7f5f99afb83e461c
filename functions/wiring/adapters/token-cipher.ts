import { KMSClient } from '@aws-sdk/client-kms';
import type { TokenCipher } from '../../adapters/token-cipher/interface';
import { KmsTokenCipher } from '../../adapters/token-cipher/kms';
import { LocalKeyTokenCipher } from '../../adapters/token-cipher/local-key';
import { type Config, requireSetting } from '../../config';
import type { AwsClients } from '../aws-clients';

/** KMS envelope encryption on AWS; a key file in the data directory locally. */
export function createTokenCipher(config: Config, aws: AwsClients): TokenCipher {
  if (config.mode === 'local') return LocalKeyTokenCipher.fromDataDir(config.dataDir);
  return new KmsTokenCipher({ keyId: requireSetting(config, 'tokenKmsKeyId'), kms: aws.create(KMSClient) });
}
