import * as path from 'node:path';
import type { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type FunctionSettings, functionEnvironment } from '../../functions/contract/function-environment';
import type { AppFunctionName } from '../../functions/contract/names';
import { FUNCTION_BUNDLING, nodejsBundlingOptions } from './function-bundling';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface AppFunctionProps<F extends AppFunctionName> {
  /** The function: its handler is `functions/<name>.ts`, exporting `handler`. */
  readonly name: F;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Its settings (resource names and settings only: never a secret value), set as its environment variables. */
  readonly settings: FunctionSettings<F>;
  readonly logRetention: RetentionDays;
  /** Extra Node.js flags, after those of `FUNCTION_BUNDLING`. @default none */
  readonly nodeOptions?: readonly string[];
}

/** What every function of the app is built from: its handler file, its environment, its size. */
export interface BundledFunctionProps {
  /** The handler file, exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Its environment variables (resource names and settings only: never a secret value). */
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  /** Extra Node.js flags, after those of `FUNCTION_BUNDLING`. @default none */
  readonly nodeOptions?: readonly string[];
}

/** A bundled function with its own log group and role, as `scope`'s children `Logs`, `Role` and `Function`. */
export interface BundledFunction {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
}

/**
 * One Lambda handler of the app: bundled by local esbuild, its own log group with retention, and its own role that
 * can write to that log group and nothing else until the app grants it more.
 */
export class AppFunction<F extends AppFunctionName> extends Construct implements BundledFunction {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps<F>) {
    super(scope, id);
    ({
      function: this.function,
      role: this.role,
      logGroup: this.logGroup,
    } = bundleFunction(this, {
      entry: path.join(PROJECT_ROOT, 'functions', `${props.name}.ts`),
      description: props.description,
      memorySize: props.memorySize,
      timeout: props.timeout,
      environment: functionEnvironment(props.name, props.settings),
      logRetention: props.logRetention,
      ...(props.nodeOptions ? { nodeOptions: props.nodeOptions } : {}),
    }));
  }
}

/** Builds the log group, the role and the bundled function of `props` inside `scope`. */
export function bundleFunction(scope: Construct, props: BundledFunctionProps): BundledFunction {
  const logGroup = new LogGroup(scope, 'Logs', { retention: props.logRetention });
  // Our own role instead of AWSLambdaBasicExecutionRole, whose logs actions apply to every log group.
  const role = new Role(scope, 'Role', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Runs: ${props.description}`,
  });
  logGroup.grantWrite(role);
  const nodeOptions = [...FUNCTION_BUNDLING.nodeOptions, ...(props.nodeOptions ?? [])];
  const fn = new NodejsFunction(scope, 'Function', {
    entry: props.entry,
    handler: 'handler',
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
    description: props.description,
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    role,
    logGroup,
    environment: {
      ...props.environment,
      ...(nodeOptions.length > 0 ? { NODE_OPTIONS: nodeOptions.join(' ') } : {}),
    },
    bundling: nodejsBundlingOptions(FUNCTION_BUNDLING),
  });
  return { function: fn, role, logGroup };
}
