import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { SharedSettings } from '../../functions/contract/function-environment';
import { RECONCILIATION_COMPLETED_DETAIL_TYPE } from '../../functions/contract/reconciliation-completed-event';
import { RUN_COMPLETED_DETAIL_TYPE, RUN_COMPLETED_SOURCE } from '../../functions/contract/run-completed-event';
import { SNAPSHOT_FOLDER } from '../../functions/contract/snapshot-layout';
import { CONNECTIONS_RECONCILE_INDEX, CONNECTIONS_STATUS_INDEX } from '../../functions/contract/tables';
import { SYNC_WORKER_NODE_OPTIONS } from '../../functions/core/page-budget';
import type { ProductSource } from '../../functions/core/product-source';
import { AppFunction } from './app-function';
import { grantOnItems, grantQueryIndex } from './data-tables';
import { grantPimAccess } from './pim-access-grants';
import { SyncExportBucket } from './sync-export-bucket';
import { SyncQueue } from './sync-queue';
import type { TokenKey } from './token-key';

// The worker checkpoints and sends itself a continuation message when its remaining time runs low, so this bounds
// one step of a run, not a whole PIM's sync.
const WORKER_TIMEOUT = Duration.minutes(5);

export interface SyncJobsProps {
  readonly connections: Table;
  /** The PIMs' call slots, which the worker's REST calls take and free. */
  readonly callSlots: Table;
  readonly tokenKey: TokenKey;
  readonly schedule: Duration;
  readonly exportRetention: Duration;
  /** How often each PIM gets a reconciliation pass. */
  readonly reconcilePeriod: Duration;
  /** The mode and the logging settings, shared by every function. */
  readonly shared: SharedSettings;
  /** What the worker reads in each PIM, and the name of the app's catalog there. */
  readonly productSource: ProductSource;
  readonly catalogName: string;
  /** The scopes the app requests (`APP_SCOPES`): the worker tells a PIM that granted fewer (`scopes/update`). */
  readonly scopes: string;
  readonly logRetention: RetentionDays;
  /** Of the export buckets. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The scheduled sync: a rule invokes the dispatch, which sends one message per active PIM to the FIFO queue; the
 * worker exports that PIM's changed products to the bucket, and tells of each completed run on the run events bus.
 * Each role gets exactly the calls its code makes.
 */
export class SyncJobs extends Construct {
  readonly dispatchFunction: NodejsFunction;
  readonly workerFunction: NodejsFunction;
  readonly queue: SyncQueue;
  readonly exports: SyncExportBucket;
  /** The app's own bus: one `Sync Run Completed` event per completed run, for downstream consumers' rules. */
  readonly runEventsBus: EventBus;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: SyncJobsProps) {
    super(scope, id);
    const { connections, callSlots, tokenKey } = props;
    this.queue = new SyncQueue(this, 'Queue', { workerTimeout: WORKER_TIMEOUT });
    this.exports = new SyncExportBucket(this, 'Exports', {
      exportRetention: props.exportRetention,
      accessLogRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.runEventsBus = new EventBus(this, 'RunEvents', {
      description: 'Akeneo custom app: one event per completed sync run (source akeneo-custom-app)',
    });
    const queue = this.queue.queue;
    const bucket = this.exports.bucket;

    // Pages through the status index and sends batches of ten: 1,000 PIMs take 100 SendMessageBatch calls, seconds.
    const dispatch = new AppFunction(this, 'Dispatch', {
      name: 'sync-dispatch',
      description: 'Akeneo custom app: scheduled sync dispatch, one message per active PIM',
      memorySize: 256,
      timeout: Duration.seconds(60),
      settings: {
        ...props.shared,
        connectionsTableName: connections.tableName,
        connectionsStatusIndex: CONNECTIONS_STATUS_INDEX.name,
        syncQueueUrl: queue.queueUrl,
        syncScheduleMinutes: String(props.schedule.toMinutes()),
      },
      logRetention: props.logRetention,
    });
    // 1024 MB: parsing pages of 100 products and the PIM downloads scale with the CPU share that memory buys.
    const worker = new AppFunction(this, 'Worker', {
      name: 'sync-worker',
      description: "Akeneo custom app: sync worker, exports one PIM's changed products",
      memorySize: 1024,
      timeout: WORKER_TIMEOUT,
      settings: {
        ...props.shared,
        scopes: props.scopes,
        connectionsTableName: connections.tableName,
        callSlotsTableName: callSlots.tableName,
        tokenKmsKeyId: tokenKey.key.keyArn,
        syncQueueUrl: queue.queueUrl,
        exportBucketName: bucket.bucketName,
        runEventsBusName: this.runEventsBus.eventBusName,
        productSource: props.productSource,
        catalogName: props.catalogName,
        reconcileHours: String(props.reconcilePeriod.toHours()),
      },
      // The worker streams: it holds two or three pages at a time, whatever the catalog's size. Without a bound, V8
      // grows its heap over a long run (npm run bench: +36 % peak RSS from 10,000 to 50,000 products); any bound sizes
      // its heap steps down (+5 to +10 % at 64, 256, 384 or 512 MB alike). The client's page limits are derived from
      // this same bound (functions/core/page-budget.ts).
      nodeOptions: [...SYNC_WORKER_NODE_OPTIONS],
      logRetention: props.logRetention,
    });
    this.dispatchFunction = dispatch.function;
    this.workerFunction = worker.function;

    grantQueryIndex(connections, CONNECTIONS_STATUS_INDEX.name, dispatch.role);
    grantQueryIndex(connections, CONNECTIONS_RECONCILE_INDEX.name, dispatch.role);
    // The stale count: when each connection of an index page last synced (three attributes, 100 keys a call).
    grantOnItems(connections, dispatch.role, 'dynamodb:BatchGetItem');
    queue.grant(dispatch.role, 'sqs:SendMessage');

    // The entry point's calls: the worker also checkpoints and completes runs with UpdateItem on its connection.
    grantPimAccess(worker.role, { connections, callSlots, tokenKey });
    Grant.addToPrincipal({
      grantee: worker.role,
      actions: ['s3:PutObject'],
      resourceArns: [bucket.arnForObjects('*')],
    });
    // A reconciliation pass reads back the previous pass's snapshot, and nothing else of the exports.
    Grant.addToPrincipal({
      grantee: worker.role,
      actions: ['s3:GetObject'],
      resourceArns: [bucket.arnForObjects(`*/${SNAPSHOT_FOLDER}/*`)],
    });
    // Its own events only, on the app's bus only.
    Grant.addToPrincipal({
      grantee: worker.role,
      actions: ['events:PutEvents'],
      resourceArns: [this.runEventsBus.eventBusArn],
      conditions: {
        StringEquals: {
          'events:source': RUN_COMPLETED_SOURCE,
          'events:detail-type': [RUN_COMPLETED_DETAIL_TYPE, RECONCILIATION_COMPLETED_DETAIL_TYPE],
        },
      },
    });
    // SendMessage for its continuations; the rest is what the event source mapping polls with. Granted by hand
    // rather than through SqsEventSource, which adds sqs:GetQueueUrl that nothing calls.
    queue.grant(worker.role, 'sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes');
    // One message per invocation: a failed PIM run is retried alone and never holds back another message.
    worker.function.addEventSourceMapping('SyncQueue', {
      eventSourceArn: queue.queueArn,
      batchSize: 1,
      reportBatchItemFailures: true,
    });
    Validations.of(worker.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/*]`,
      reason:
        'Writes export objects whose keys hold the PIM host and a run id created at runtime ' +
        '(<pim host>/products/<run id>/part-N.ndjson, manifest.json); PutObject only, in the export bucket only.',
    });
    Validations.of(worker.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnBucket)}.Arn>/*/${SNAPSHOT_FOLDER}/*]`,
      reason:
        "Reads back the previous reconciliation pass's snapshot, whose keys hold the PIM host and a run id created " +
        'at runtime (<pim host>/reconciliation/<run id>/uuids-N.txt); GetObject only, under that folder only.',
    });

    this.schedule = new Rule(this, 'Schedule', {
      description: 'Akeneo custom app: starts the sync of every connected PIM',
      schedule: Schedule.rate(props.schedule),
      targets: [
        // A dispatch delivered after the next slot has begun would only repeat it.
        new LambdaFunction(dispatch.function, { retryAttempts: 2, maxEventAge: props.schedule }),
      ],
    });
  }
}
