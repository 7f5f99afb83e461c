import { AppError } from './core/errors';
import { DEFAULT_APP_SCOPES, isValidScope, parseScopeString } from './core/scopes';

export type AppMode = 'local' | 'aws';
export type CredentialsStoreKind = 'secrets-manager' | 'local-file';

/** Every setting of the runtime, read and validated once per cold start. */
export interface Config {
  readonly mode: AppMode;
  readonly scopes: readonly string[];
  /** Required by the functions that use the table (see `requireSetting`); each function gets only its own. */
  readonly statesTableName?: string;
  readonly connectionsTableName?: string;
  readonly credentialsStore: CredentialsStoreKind;
  readonly credentialsSecretPrefix: string;
  readonly credentialsMaxAgeSeconds: number;
  /** KMS key of the token cipher on AWS; absent locally, where a key file under `dataDir` is used. */
  readonly tokenKmsKeyId?: string;
  /** Local only: where the credentials file, the token key and the embedded database live. */
  readonly dataDir: string;
  /** Local only: an external DynamoDB (DynamoDB Local, say) instead of the SDK's default endpoint. */
  readonly dynamodbEndpoint?: string;
  /**
   * Local only, never read from the environment: the key the embedded DynamoDB asks of its clients (as their access
   * key id), set beside `dynamodbEndpoint` by whoever found or started it. Absent for DynamoDB Local, which takes any.
   */
  readonly dynamodbAccessKeyId?: string;
  /** The Connections table's index of connections by status (the sync dispatch reads `active`). */
  readonly connectionsStatusIndex: string;
  /** Sync jobs: the FIFO queue (AWS), the export bucket (AWS), the schedule, the overlap between runs. */
  readonly syncQueueUrl?: string;
  readonly exportBucketName?: string;
  readonly syncScheduleMinutes: number;
  readonly syncOverlapSeconds: number;
  /** Local only: path-style S3 addressing, for an S3-compatible store on localhost (s3rver, MinIO). */
  readonly s3ForcePathStyle: boolean;
  /** Time allowed for one call to a PIM during a connection, from connecting to the last byte of its answer. */
  readonly pimTimeoutMs: number;
}

export const DEFAULT_SECRET_PREFIX = 'akeneo-custom-app/pims';
export const DEFAULT_CREDENTIALS_MAX_AGE_SECONDS = 60;
export const MAX_CREDENTIALS_MAX_AGE_SECONDS = 300;
/**
 * The authorization code dies 30 s after issue: the token request and its one retry (2 × 5 s at worst) must fit
 * well inside it, and inside the callback's 15-s Lambda timeout.
 */
export const DEFAULT_PIM_TIMEOUT_MS = 5_000;

const SETTING_NAMES = {
  statesTableName: 'STATES_TABLE_NAME',
  connectionsTableName: 'CONNECTIONS_TABLE_NAME',
  tokenKmsKeyId: 'TOKEN_KMS_KEY_ID',
  syncQueueUrl: 'SYNC_QUEUE_URL',
  exportBucketName: 'EXPORT_BUCKET_NAME',
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
} as const;

/** A setting only some functions need: absent where it is needed is a configuration error naming it. */
export function requireSetting(config: Config, key: keyof typeof SETTING_NAMES): string {
  const value = config[key];
  if (value === undefined) throw new ConfigError([`${SETTING_NAMES[key]} is required`]);
  return value;
}

export class ConfigError extends AppError {
  readonly code = 'invalid_configuration';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const text = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };

  const mode = oneOf<AppMode>('APP_MODE', ['local', 'aws'], 'aws');
  const local = mode === 'local';
  const scopes = parseScopeString(text('APP_SCOPES') ?? DEFAULT_APP_SCOPES.join(' '));
  const badScopes = scopes.filter((scope) => !isValidScope(scope));
  if (badScopes.length > 0) problems.push(`APP_SCOPES has invalid scopes: ${badScopes.join(', ')}`);
  if (scopes.length === 0) problems.push('APP_SCOPES must list at least one scope');

  const statesTableName = text('STATES_TABLE_NAME') ?? (local ? 'akeneo-authorization-states' : undefined);
  const connectionsTableName = text('CONNECTIONS_TABLE_NAME') ?? (local ? 'akeneo-connections' : undefined);
  const credentialsStore = oneOf<CredentialsStoreKind>(
    'CREDENTIALS_STORE',
    ['secrets-manager', 'local-file'],
    local ? 'local-file' : 'secrets-manager',
  );
  const credentialsSecretPrefix = (text('CREDENTIALS_SECRET_PREFIX') ?? DEFAULT_SECRET_PREFIX).replace(/\/+$/, '');
  if (!/^[A-Za-z0-9/_+=.@-]+$/.test(credentialsSecretPrefix)) {
    problems.push('CREDENTIALS_SECRET_PREFIX may only contain letters, digits and /_+=.@-');
  }

  const config: Config = {
    mode,
    scopes,
    statesTableName,
    connectionsTableName,
    credentialsStore,
    credentialsSecretPrefix,
    credentialsMaxAgeSeconds: integer(
      'CREDENTIALS_MAX_AGE_SECONDS',
      DEFAULT_CREDENTIALS_MAX_AGE_SECONDS,
      0,
      MAX_CREDENTIALS_MAX_AGE_SECONDS,
    ),
    tokenKmsKeyId: text('TOKEN_KMS_KEY_ID'),
    dataDir: text('DATA_DIR') ?? '.local',
    dynamodbEndpoint: text('DYNAMODB_ENDPOINT'),
    connectionsStatusIndex: text('CONNECTIONS_STATUS_INDEX') ?? 'status-index',
    syncQueueUrl: text('SYNC_QUEUE_URL'),
    exportBucketName: text('EXPORT_BUCKET_NAME'),
    syncScheduleMinutes: integer('SYNC_SCHEDULE_MINUTES', 15, 1, 1440),
    syncOverlapSeconds: integer('SYNC_OVERLAP_SECONDS', 5, 1, 3600),
    s3ForcePathStyle: oneOf('S3_FORCE_PATH_STYLE', ['true', 'false'], 'false') === 'true',
    pimTimeoutMs: integer('PIM_TIMEOUT_MS', DEFAULT_PIM_TIMEOUT_MS, 100, 6_000),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
