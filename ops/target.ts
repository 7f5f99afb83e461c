import { type Config, ConfigError, loadConfig } from '../functions/config';
import {
  DEFAULT_SECRET_PREFIX,
  isValidSecretPrefix,
  normaliseSecretPrefix,
  SECRET_PREFIX_RULE,
} from '../functions/contract/names';
import { SETTINGS } from '../functions/contract/settings';
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
  const secretPrefix = normaliseSecretPrefix(
    flags.secretPrefix ??
      outputs.secretPrefix ??
      nonEmpty(io.env[SETTINGS.credentialsSecretPrefix.env]) ??
      DEFAULT_SECRET_PREFIX,
  );
  if (!isValidSecretPrefix(secretPrefix)) {
    throw new UsageError(`The secret prefix "${secretPrefix}" may only contain ${SECRET_PREFIX_RULE}`);
  }
  const connectionsTableName =
    flags.connectionsTable ?? outputs.connectionsTableName ?? nonEmpty(io.env[SETTINGS.connectionsTableName.env]);
  return { kind: 'aws', region, secretPrefix, connectionsTableName };
}

function localConfig(io: CliIo): Config {
  try {
    return loadConfig({ ...io.env, [SETTINGS.mode.env]: 'local' });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${error.message}: fix the environment`, { cause: error });
    throw error;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}
