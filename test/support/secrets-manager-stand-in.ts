import { randomUUID } from 'node:crypto';
import { AwsServiceError as AwsError, type AwsOperation, startAwsJsonService } from './aws-json-service';

/**
 * A local AWS Secrets Manager for tests: the real AWS JSON 1.1 protocol (`X-Amz-Target: secretsmanager.<Op>`),
 * real error shapes, version stages, so the unmodified SDK client (pointed here with
 * AWS_ENDPOINT_URL_SECRETS_MANAGER) and Powertools Parameters run exactly as on AWS. Signatures are not checked.
 */
export interface StoredSecretVersion {
  readonly versionId: string;
  readonly secretString: string;
  stages: string[];
  readonly createdDate: number;
}

export interface StoredSecret {
  readonly arn: string;
  readonly name: string;
  readonly description?: string;
  readonly tags: Array<{ Key: string; Value: string }>;
  readonly versions: StoredSecretVersion[];
  readonly createdDate: number;
  lastChangedDate: number;
  deletedDate?: number;
}

export interface SecretsManagerStandIn {
  readonly endpoint: string;
  /** By name: what the tests may inspect (and, to set up odd cases, change). */
  readonly secrets: Map<string, StoredSecret>;
  /** Every operation received, in order: `GetSecretValue`, … */
  readonly calls: string[];
  close(): Promise<void>;
}

type Input = Record<string, unknown>;
type Operation = AwsOperation;

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const LIST_PAGE_SIZE = 2;
const nowSeconds = () => Date.now() / 1000;

export async function startSecretsManagerStandIn(): Promise<SecretsManagerStandIn> {
  const secrets = new Map<string, StoredSecret>();
  const service = await startAwsJsonService({
    targetPrefix: 'secretsmanager',
    jsonVersion: '1.1',
    operations: secretsManagerOperations(secrets),
    unknownOperationType: 'UnknownOperationException',
    internalErrorType: 'InternalServiceError',
    strict: true,
  });
  return { ...service, secrets };
}

function secretsManagerOperations(secrets: Map<string, StoredSecret>): Record<string, Operation> {
  const find = (input: Input, { includeDeleted = false } = {}): StoredSecret => {
    const id = String(input.SecretId ?? '');
    const secret = secrets.get(id) ?? [...secrets.values()].find((candidate) => candidate.arn === id);
    if (!secret || (secret.deletedDate !== undefined && !includeDeleted)) {
      throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    return secret;
  };
  const current = (secret: StoredSecret) => secret.versions.find((version) => version.stages.includes('AWSCURRENT'));
  const versionsToStages = (secret: StoredSecret) =>
    Object.fromEntries(secret.versions.filter((v) => v.stages.length > 0).map((v) => [v.versionId, v.stages]));
  const describe = (secret: StoredSecret) => ({
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description ? { Description: secret.description } : {}),
    LastChangedDate: secret.lastChangedDate,
    CreatedDate: secret.createdDate,
    ...(secret.deletedDate !== undefined ? { DeletedDate: secret.deletedDate } : {}),
    Tags: secret.tags,
  });
  const addVersion = (secret: StoredSecret, secretString: string, versionId: string) => {
    for (const version of secret.versions) version.stages = version.stages.filter((stage) => stage !== 'AWSPREVIOUS');
    const previous = current(secret);
    if (previous) previous.stages = [...previous.stages.filter((stage) => stage !== 'AWSCURRENT'), 'AWSPREVIOUS'];
    const version = { versionId, secretString, stages: ['AWSCURRENT'], createdDate: nowSeconds() };
    secret.versions.push(version);
    secret.lastChangedDate = version.createdDate;
    return version;
  };
  const secretStringOf = (input: Input) => {
    if (typeof input.SecretString !== 'string' || input.SecretString === '') {
      throw new AwsError('InvalidParameterException', 'You must provide either SecretString or SecretBinary.');
    }
    return input.SecretString;
  };

  return {
    CreateSecret: (input) => {
      const name = String(input.Name ?? '');
      if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) {
        throw new AwsError(
          'ValidationException',
          'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
        );
      }
      const existing = secrets.get(name);
      if (existing?.deletedDate !== undefined) {
        throw new AwsError(
          'InvalidRequestException',
          "You can't create this secret because a secret with this name is already scheduled for deletion.",
        );
      }
      if (existing)
        throw new AwsError(
          'ResourceExistsException',
          `The operation failed because the secret ${name} already exists.`,
        );
      const secretString = secretStringOf(input);
      const created = nowSeconds();
      const secret: StoredSecret = {
        arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${randomUUID().slice(0, 6)}`,
        name,
        description: typeof input.Description === 'string' ? input.Description : undefined,
        tags: Array.isArray(input.Tags) ? (input.Tags as StoredSecret['tags']) : [],
        versions: [],
        createdDate: created,
        lastChangedDate: created,
      };
      secrets.set(name, secret);
      const version = addVersion(secret, secretString, String(input.ClientRequestToken ?? randomUUID()));
      return { ARN: secret.arn, Name: name, VersionId: version.versionId };
    },
    PutSecretValue: (input) => {
      const secret = find(input);
      const version = addVersion(secret, secretStringOf(input), String(input.ClientRequestToken ?? randomUUID()));
      return { ARN: secret.arn, Name: secret.name, VersionId: version.versionId, VersionStages: version.stages };
    },
    GetSecretValue: (input) => {
      const secret = find(input);
      const stage = typeof input.VersionStage === 'string' ? input.VersionStage : undefined;
      const versionId = typeof input.VersionId === 'string' ? input.VersionId : undefined;
      const version =
        versionId !== undefined
          ? secret.versions.find((v) => v.versionId === versionId && (stage === undefined || v.stages.includes(stage)))
          : secret.versions.find((v) => v.stages.includes(stage ?? 'AWSCURRENT'));
      if (!version) {
        throw new AwsError(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for staging label: ${stage ?? 'AWSCURRENT'}`,
        );
      }
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        SecretString: version.secretString,
        VersionStages: version.stages,
        CreatedDate: version.createdDate,
      };
    },
    DescribeSecret: (input) => {
      const secret = find(input, { includeDeleted: true });
      return { ...describe(secret), VersionIdsToStages: versionsToStages(secret) };
    },
    ListSecrets: (input) => {
      const filters = (Array.isArray(input.Filters) ? input.Filters : []) as Array<{ Key?: string; Values?: string[] }>;
      const prefixes = filters.filter((filter) => filter.Key === 'name').flatMap((filter) => filter.Values ?? []);
      const matching = [...secrets.values()]
        .filter((secret) => secret.deletedDate === undefined || input.IncludePlannedDeletion === true)
        .filter(
          (secret) =>
            prefixes.length === 0 ||
            prefixes.some((prefix) => secret.name.toLowerCase().startsWith(prefix.toLowerCase())),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
      const start = Number(input.NextToken ?? 0);
      // Small pages (AWS's default is larger) so that every caller's pagination is exercised.
      const size = typeof input.MaxResults === 'number' ? input.MaxResults : LIST_PAGE_SIZE;
      const page = matching.slice(start, start + size);
      const next = start + size < matching.length ? String(start + size) : undefined;
      return {
        SecretList: page.map((secret) => ({ ...describe(secret), SecretVersionsToStages: versionsToStages(secret) })),
        ...(next ? { NextToken: next } : {}),
      };
    },
    ListSecretVersionIds: (input) => {
      const secret = find(input);
      return {
        ARN: secret.arn,
        Name: secret.name,
        Versions: secret.versions
          .filter((version) => version.stages.length > 0 || input.IncludeDeprecated === true)
          .map((version) => ({
            VersionId: version.versionId,
            VersionStages: version.stages,
            CreatedDate: version.createdDate,
          })),
      };
    },
    DeleteSecret: (input) => {
      const secret = find(input);
      if (input.ForceDeleteWithoutRecovery === true) {
        secrets.delete(secret.name);
        return { ARN: secret.arn, Name: secret.name, DeletionDate: nowSeconds() };
      }
      const days = typeof input.RecoveryWindowInDays === 'number' ? input.RecoveryWindowInDays : 30;
      secret.deletedDate = nowSeconds();
      return { ARN: secret.arn, Name: secret.name, DeletionDate: secret.deletedDate + days * 86_400 };
    },
  };
}
