import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  paginateListSecrets,
  type SecretListEntry,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { PimCredentials } from '../../functions/adapters/credentials-registry';
import { parseCredentials } from '../../functions/adapters/credentials-registry/credentials-value';
import { pimHostFromKey, secretNameFor } from '../../functions/contract/names';
import { PimNotRegisteredError } from '../../functions/core/errors';
import type { PimAddress } from '../../functions/core/pim-url';
import { OperationFailedError, PimAlreadyRegisteredError } from '../errors';
import type { CredentialsAdmin, CredentialsChange, RegisteredPimSummary } from './interface';

export interface SecretsManagerCredentialsAdminOptions {
  readonly client: SecretsManagerClient;
  /** Secrets are named `<prefix>/<pim host>`, as `SecretsManagerCredentialsRegistry` reads them. */
  readonly prefix: string;
  /** For messages: "Secrets Manager (eu-west-1)". */
  readonly target: string;
}

/** One secret per PIM; a rotation is a new version, so the previous one stays readable as AWSPREVIOUS. */
export class SecretsManagerCredentialsAdmin implements CredentialsAdmin {
  readonly target: string;
  private readonly client: SecretsManagerClient;
  private readonly prefix: string;

  constructor({ client, prefix, target }: SecretsManagerCredentialsAdminOptions) {
    this.client = client;
    this.prefix = prefix;
    this.target = target;
  }

  async add(pim: PimAddress, credentials: PimCredentials): Promise<CredentialsChange> {
    const name = secretNameFor(this.prefix, pim.host);
    try {
      const created = await this.client.send(
        new CreateSecretCommand({
          Name: name,
          Description: `Akeneo custom app credentials of ${pim.url}`,
          SecretString: secretValue(credentials),
          Tags: [{ Key: 'pimUrl', Value: pim.url }],
        }),
      );
      return { location: name, versionId: created.VersionId };
    } catch (error) {
      if (errorName(error) === 'ResourceExistsException') throw new PimAlreadyRegisteredError(pim.url);
      if (errorName(error) === 'InvalidRequestException' && /scheduled for deletion/i.test(messageOf(error))) {
        throw new OperationFailedError(
          `The secret ${name} is scheduled for deletion: restore it (aws secretsmanager restore-secret --secret-id ${name}) and use \`rotate\``,
          { cause: error },
        );
      }
      throw error;
    }
  }

  async rotate(pim: PimAddress, credentials: PimCredentials): Promise<CredentialsChange> {
    const name = secretNameFor(this.prefix, pim.host);
    const previous = await this.find(pim);
    if (!previous) throw new PimNotRegisteredError(pim.url);
    try {
      const put = await this.client.send(
        new PutSecretValueCommand({ SecretId: name, SecretString: secretValue(credentials) }),
      );
      return { location: name, versionId: put.VersionId, previousClientId: previous.clientId };
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') throw new PimNotRegisteredError(pim.url);
      throw error;
    }
  }

  async find(pim: PimAddress): Promise<RegisteredPimSummary | undefined> {
    const name = secretNameFor(this.prefix, pim.host);
    try {
      const described = await this.client.send(new DescribeSecretCommand({ SecretId: name }));
      if (described.DeletedDate) return undefined;
      return await this.summary({ ...described, Name: name });
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }

  async list(): Promise<RegisteredPimSummary[]> {
    const namePrefix = `${this.prefix}/`;
    const entries: SecretListEntry[] = [];
    const pages = paginateListSecrets(
      { client: this.client },
      { Filters: [{ Key: 'name', Values: [namePrefix] }], SortOrder: 'asc' },
    );
    for await (const page of pages) entries.push(...(page.SecretList ?? []));
    // The name filter is a case-insensitive match: keep only our exact prefix. A PIM's credentials are one segment
    // below it; what lies deeper (`<pim>/event-platform`, its Event Platform secrets) is not a PIM.
    const isPim = (name: string | undefined) =>
      name?.startsWith(namePrefix) === true && !name.slice(namePrefix.length).includes('/');
    const ours = entries.filter((entry) => isPim(entry.Name) && !entry.DeletedDate);
    const summaries = await Promise.all(ours.map((entry) => this.summary(entry)));
    return summaries.sort((a, b) => a.pimHost.localeCompare(b.pimHost));
  }

  async remove(pim: PimAddress): Promise<{ readonly location: string }> {
    const name = secretNameFor(this.prefix, pim.host);
    if (!(await this.find(pim))) throw new PimNotRegisteredError(pim.url);
    try {
      // At once, not after a recovery window: `add` must work again right away, and the PIM can regenerate.
      await this.client.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
      return { location: name };
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') throw new PimNotRegisteredError(pim.url);
      throw error;
    }
  }

  private async summary(entry: Pick<SecretListEntry, 'Name' | 'Tags' | 'LastChangedDate'>) {
    const name = entry.Name ?? '';
    const tagged = entry.Tags?.find((tag) => tag.Key === 'pimUrl')?.Value;
    // Without the tag (a secret made by hand), the name says the host.
    const pimHost = tagged ? new URL(tagged).host : pimHostFromKey(name.slice(this.prefix.length + 1));
    const pimUrl = tagged ?? `https://${pimHost}`;
    return {
      pimUrl,
      pimHost,
      clientId: await this.clientIdOf(name),
      lastChangedAt: entry.LastChangedDate?.toISOString(),
      location: name,
    } satisfies RegisteredPimSummary;
  }

  /** Reads the whole value (there is no other way) and keeps only the client id. */
  private async clientIdOf(name: string): Promise<string | undefined> {
    const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: name }));
    try {
      return parseCredentials(JSON.parse(SecretString ?? ''), `the secret ${name}`).clientId;
    } catch {
      return undefined;
    }
  }
}

function secretValue({ clientId, clientSecret }: PimCredentials): string {
  return JSON.stringify({ clientId, clientSecret });
}

function errorName(error: unknown): unknown {
  return (error as { name?: unknown } | undefined)?.name;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : '';
}
