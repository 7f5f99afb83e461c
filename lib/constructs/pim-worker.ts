import { Duration } from 'aws-cdk-lib';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { WorkerName } from '../../functions/contract/names';
import { type BundledFunction, bundleFunction } from './app-function';

/** A downstream worker, as an integrator describes it to `AkeneoCustomApp.addPimWorker`. */
export interface PimWorkerProps {
  /**
   * Its name (`workerName('price-feed')`): the handler passes the same to `awsClients`, which names its AWS calls
   * after it; the alarms name the worker by it.
   */
  readonly name: WorkerName;
  /** The handler file, exporting `handler` (bundled by local esbuild, as the app's own functions are). */
  readonly entry: string;
  /** @default `Akeneo custom app worker <name>` */
  readonly description?: string;
  /** @default 512 */
  readonly memorySize?: number;
  /**
   * A worker's PIM calls share the PIM's 4 call slots with the sync and every other worker, so a call may wait for a
   * slot: leave it room. @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /** Its own settings, beside those of the entry point the app sets. @default none */
  readonly environment?: Record<string, string>;
}

export const DEFAULT_PIM_WORKER_MEMORY_MB = 512;
export const DEFAULT_PIM_WORKER_TIMEOUT = Duration.minutes(5);

/** A worker's function, log group and role, before the app grants it access to the PIMs. */
export class PimWorker extends Construct implements BundledFunction {
  readonly name: WorkerName;
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PimWorkerProps & { readonly logRetention: RetentionDays }) {
    super(scope, id);
    this.name = props.name;
    ({
      function: this.function,
      role: this.role,
      logGroup: this.logGroup,
    } = bundleFunction(this, {
      entry: props.entry,
      description: props.description ?? `Akeneo custom app worker ${props.name}`,
      memorySize: props.memorySize ?? DEFAULT_PIM_WORKER_MEMORY_MB,
      timeout: props.timeout ?? DEFAULT_PIM_WORKER_TIMEOUT,
      environment: props.environment ?? {},
      logRetention: props.logRetention,
    }));
  }
}
