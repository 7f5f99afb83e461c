import { TransformParameterError } from '@aws-lambda-powertools/parameters';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretNameFor } from '../../contract/names';
import { parseCredentials } from './credentials-value';
import { MalformedCredentialsError } from './errors';
import type { CredentialsLookupOptions, CredentialsRegistry, PimCredentials } from './interface';

export interface SecretsManagerCredentialsRegistryOptions {
  readonly client: SecretsManagerClient;
  /** Secrets are named `<prefix>/<pim host>`. */
  readonly prefix: string;
  /** How long a value is reused before Secrets Manager is asked again: a rotation is picked up within this. */
  readonly maxAgeSeconds: number;
}

/** One secret per PIM, read through Powertools Parameters (which caches it for `maxAgeSeconds`). */
export class SecretsManagerCredentialsRegistry implements CredentialsRegistry {
  private readonly provider: SecretsProvider;
  readonly prefix: string;
  readonly maxAgeSeconds: number;

  constructor({ client, prefix, maxAgeSeconds }: SecretsManagerCredentialsRegistryOptions) {
    this.provider = new SecretsProvider({ awsSdkV3Client: client });
    this.prefix = prefix;
    this.maxAgeSeconds = maxAgeSeconds;
  }

  async get(pimHost: string, options: CredentialsLookupOptions = {}): Promise<PimCredentials | undefined> {
    const name = secretNameFor(this.prefix, pimHost);
    let value: unknown;
    try {
      value = await this.provider.get(name, {
        maxAge: this.maxAgeSeconds,
        forceFetch: options.fresh === true,
        transform: 'json',
      });
    } catch (error) {
      if (isSecretNotFound(error)) return undefined;
      // The parser's message quotes the secret's text: name the secret instead, and keep no cause.
      if (error instanceof TransformParameterError) throw new MalformedCredentialsError(`the secret ${name}`);
      throw error;
    }
    return parseCredentials(value, `the secret ${name}`);
  }
}

function isSecretNotFound(error: unknown): boolean {
  const named = (value: unknown) => (value as { name?: unknown } | undefined)?.name === 'ResourceNotFoundException';
  return named(error) || named((error as { cause?: unknown } | undefined)?.cause);
}
