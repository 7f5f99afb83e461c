import { type Config, ConfigError, DEFAULT_SECRET_PREFIX, loadConfig } from '../functions/config';
import { UsageError } from './errors';
import type { CliIo } from './io';
import { readStackOutputs } from './stack-outputs';

/** The flags every command accepts to choose where it works. */
export interface TargetFlags {
  readonly aws?: boolean;
  readonly region?: string;
  readonly secretPrefix?: string;
  readonly stack?: string;
  readonly connectionsTable?: string;
}

/** The local run: the data directory and its DynamoDB (embedded, or DYNAMODB_ENDPOINT). */
export interface LocalTarget {
  readonly kind: 'local';
  readonly config: Config;
}

export interface AwsTarget {
  readonly kind: 'aws';
  readonly region: string;
  readonly secretPrefix: string;
  /** Needed by `status` only. */
  readonly connectionsTableName?: string;
}

export type Target = LocalTarget | AwsTarget;

const SECRET_PREFIX = /^[A-Za-z0-9/_+=.@-]+$/;

/** Flags first, then the stack's outputs, then the environment, then the runtime's defaults. */
export async function resolveTarget(flags: TargetFlags, io: CliIo): Promise<Target> {
  if (!flags.aws) {
    if (flags.region || flags.secretPrefix || flags.stack || flags.connectionsTable) {
      throw new UsageError('--region, --secret-prefix, --stack and --connections-table need --aws');
    }
    return { kind: 'local', config: localConfig(io) };
  }
  const region = flags.region ?? nonEmpty(io.env.AWS_REGION);
  if (!region) throw new UsageError('Name the AWS region: --region <region> or AWS_REGION');
  const outputs = flags.stack ? await readStackOutputs(flags.stack, region) : {};
  const secretPrefix = (
    flags.secretPrefix ??
    outputs.secretPrefix ??
    nonEmpty(io.env.CREDENTIALS_SECRET_PREFIX) ??
    DEFAULT_SECRET_PREFIX
  ).replace(/\/+$/, '');
  if (!SECRET_PREFIX.test(secretPrefix)) {
    throw new UsageError(`The secret prefix "${secretPrefix}" may only contain letters, digits and /_+=.@-`);
  }
  const connectionsTableName =
    flags.connectionsTable ?? outputs.connectionsTableName ?? nonEmpty(io.env.CONNECTIONS_TABLE_NAME);
  return { kind: 'aws', region, secretPrefix, connectionsTableName };
}

function localConfig(io: CliIo): Config {
  try {
    return loadConfig({ ...io.env, APP_MODE: 'local' });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${error.message}: fix the environment`, { cause: error });
    throw error;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}
