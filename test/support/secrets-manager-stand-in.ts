import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
type Operation = (input: Input) => unknown;

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const LIST_PAGE_SIZE = 2;
const nowSeconds = () => Date.now() / 1000;

export async function startSecretsManagerStandIn(): Promise<SecretsManagerStandIn> {
  const secrets = new Map<string, StoredSecret>();
  const calls: string[] = [];
  const operations = secretsManagerOperations(secrets);
  const server = createServer((request, response) => {
    handle(request, response, operations, calls).catch((error: unknown) => {
      send(response, 500, { __type: 'InternalServiceError', message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    secrets,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  operations: Record<string, Operation>,
  calls: string[],
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const target = String(request.headers['x-amz-target'] ?? '');
  const name = target.startsWith('secretsmanager.') ? target.slice('secretsmanager.'.length) : '';
  const operation = operations[name];
  if (request.method !== 'POST' || !operation) {
    return send(response, 400, { __type: 'UnknownOperationException', message: `Unknown operation ${target}` });
  }
  if (!String(request.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
    return send(response, 400, { __type: 'SerializationException', message: 'Expected application/x-amz-json-1.1' });
  }
  if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
    return send(response, 400, {
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  }
  calls.push(name);
  try {
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Input;
    send(response, 200, operation(input));
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    send(response, 400, { __type: error.type, message: error.message });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
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
