import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { eventPlatformSecretNameFor } from '../../contract/names';
import type { EventPlatformSecrets, WritableEventPlatformSecretStore } from './interface';
import { parseSecrets, serialiseSecrets } from './secrets-value';

export interface SecretsManagerEventPlatformSecretStoreOptions {
  readonly client: SecretsManagerClient;
  /** The credentials' prefix: each PIM's secret is `<prefix>/<pim host key>/event-platform`. */
  readonly prefix: string;
  /**
   * How long a value read is reused before Secrets Manager is asked again. 0 (the callback, the ops CLI) reads every
   * time, so a rotation staged a moment ago is seen. @default 0
   */
  readonly maxAgeSeconds?: number;
}

/** One secret per PIM, JSON, beside the PIM's credentials and under the same prefix (and so the same IAM patterns). */
export class SecretsManagerEventPlatformSecretStore implements WritableEventPlatformSecretStore {
  private readonly client: SecretsManagerClient;
  private readonly prefix: string;
  private readonly maxAgeMs: number;
  private readonly cache = new Map<string, { readonly secrets: EventPlatformSecrets; readonly until: number }>();

  constructor({ client, prefix, maxAgeSeconds = 0 }: SecretsManagerEventPlatformSecretStoreOptions) {
    this.client = client;
    this.prefix = prefix;
    this.maxAgeMs = maxAgeSeconds * 1000;
  }

  async get(pimHost: string): Promise<EventPlatformSecrets | undefined> {
    const cached = this.cache.get(pimHost);
    if (cached && cached.until > Date.now()) return cached.secrets;
    const name = eventPlatformSecretNameFor(this.prefix, pimHost);
    let text: string | undefined;
    try {
      text = (await this.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString;
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw error;
    }
    const secrets = parseSecrets(text ?? '', `the secret ${name}`);
    if (this.maxAgeMs > 0) this.cache.set(pimHost, { secrets, until: Date.now() + this.maxAgeMs });
    return secrets;
  }

  async ensure(pimHost: string, generate: () => EventPlatformSecrets): Promise<EventPlatformSecrets> {
    const stored = await this.get(pimHost);
    if (stored) return stored;
    const name = eventPlatformSecretNameFor(this.prefix, pimHost);
    const secrets = generate();
    try {
      await this.client.send(
        new CreateSecretCommand({
          Name: name,
          Description: `Akeneo Event Platform signing secrets of ${pimHost}`,
          SecretString: serialiseSecrets(secrets),
        }),
      );
      return secrets;
    } catch (error) {
      if (errorName(error) !== 'ResourceExistsException') throw error;
    }
    // Another call created it first: its secrets are the PIM's.
    this.cache.delete(pimHost);
    const winner = await this.get(pimHost);
    if (!winner) throw new Error(`The secret ${name} exists but could not be read`);
    return winner;
  }

  async put(pimHost: string, secrets: EventPlatformSecrets): Promise<void> {
    const name = eventPlatformSecretNameFor(this.prefix, pimHost);
    try {
      await this.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: serialiseSecrets(secrets) }));
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') {
        throw new Error(`${pimHost} has no Event Platform secrets (${name}) to replace`, { cause: error });
      }
      throw error;
    }
    this.cache.delete(pimHost);
  }
}

function errorName(error: unknown): unknown {
  return (error as { name?: unknown } | undefined)?.name;
}
