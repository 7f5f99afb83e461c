import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Target } from '../target';
import type { CredentialsAdmin } from './interface';
import { LocalFileCredentialsAdmin } from './local-file';
import { SecretsManagerCredentialsAdmin } from './secrets-manager';

/** Runs `work` with the credentials admin of the target, and releases its client afterwards. */
export async function withCredentialsAdmin<T>(
  target: Target,
  work: (admin: CredentialsAdmin) => Promise<T>,
): Promise<T> {
  if (target.kind === 'local') return work(new LocalFileCredentialsAdmin(target.config.dataDir));
  const client = new SecretsManagerClient({ region: target.region });
  try {
    return await work(
      new SecretsManagerCredentialsAdmin({
        client,
        prefix: target.secretPrefix,
        target: `Secrets Manager in ${target.region}`,
      }),
    );
  } finally {
    client.destroy();
  }
}
