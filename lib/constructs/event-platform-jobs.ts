import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SharedSettings } from '../../functions/contract/function-environment';
import { EVENT_PLATFORM_SECRET_SUFFIX } from '../../functions/contract/names';
import { RUN_COMPLETED_DETAIL_TYPE, RUN_COMPLETED_SOURCE } from '../../functions/contract/run-completed-event';
import { AppFunction } from './app-function';
import { credentialsWildcardFinding, grantReadCredentials } from './credentials-access';
import { CALL_SLOT_ACTIONS, grantOnItems } from './data-tables';
import type { TokenKey } from './token-key';

/** One batch of a PIM's events is a few searches of 100 products: a minute is ample, and bounds a stuck PIM. */
const EVENT_WORKER_TIMEOUT = Duration.seconds(60);
/** Receives before an events message goes to the dead-letter queue. */
export const EVENTS_MAX_RECEIVE_COUNT = 3;
/** SQS FIFO's largest batch: up to 10 events of one or more PIMs per invocation. */
export const EVENT_WORKER_BATCH_SIZE = 10;

export interface EventPlatformJobsProps {
  readonly connections: Table;
  readonly callSlots: Table;
  readonly tokenKey: TokenKey;
  readonly exportBucket: Bucket;
  readonly runEventsBus: EventBus;
  readonly secretNamePrefix: string;
  readonly credentialsMaxAge: Duration;
  readonly shared: SharedSettings;
  readonly logRetention: RetentionDays;
}

/**
 * Akeneo's Event Platform: the two webhooks (product events, subscription notifications), the events FIFO queue with
 * its dead-letter queue, and the event worker that writes each batch of a PIM's events to the export. Each role gets
 * exactly the calls its code makes.
 */
export class EventPlatformJobs extends Construct {
  readonly eventsWebhookFunction: NodejsFunction;
  readonly notificationsWebhookFunction: NodejsFunction;
  readonly workerFunction: NodejsFunction;
  /** FIFO, one message group per PIM host, deduplicated by event id. */
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** The notifications webhook's log group: its `Event Platform subscription suspended` lines are alarmed. */
  readonly notificationsLogGroup: AppFunction<'event-notifications-webhook'>['logGroup'];

  constructor(scope: Construct, id: string, props: EventPlatformJobsProps) {
    super(scope, id);
    const { connections, callSlots, tokenKey, exportBucket, runEventsBus } = props;
    const common = {
      fifo: true,
      contentBasedDeduplication: false,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    } as const;
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', { ...common, retentionPeriod: Duration.days(14) });
    this.queue = new Queue(this, 'Queue', {
      ...common,
      visibilityTimeout: Duration.seconds(EVENT_WORKER_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: EVENTS_MAX_RECEIVE_COUNT },
    });
    const credentials = {
      credentialsSecretPrefix: props.secretNamePrefix,
      credentialsMaxAgeSeconds: String(props.credentialsMaxAge.toSeconds()),
    };

    // Answers within Akeneo's 5 seconds: one item read, one cached secret, one SendMessage.
    const eventsWebhook = new AppFunction(this, 'EventsWebhook', {
      name: 'events-webhook',
      description: "Akeneo custom app: POST /events/{pimHostKey}, the Event Platform's product events",
      memorySize: 256,
      timeout: Duration.seconds(5),
      settings: {
        ...props.shared,
        ...credentials,
        connectionsTableName: connections.tableName,
        eventsQueueUrl: this.queue.queueUrl,
      },
      logRetention: props.logRetention,
    });
    const notificationsWebhook = new AppFunction(this, 'NotificationsWebhook', {
      name: 'event-notifications-webhook',
      description: "Akeneo custom app: POST /event-notifications/{pimHostKey}, the Event Platform's notifications",
      memorySize: 256,
      timeout: Duration.seconds(5),
      settings: { ...props.shared, ...credentials, connectionsTableName: connections.tableName },
      logRetention: props.logRetention,
    });
    const worker = new AppFunction(this, 'Worker', {
      name: 'event-worker',
      description: "Akeneo custom app: event worker, writes a batch of a PIM's product events to the export",
      memorySize: 512,
      timeout: EVENT_WORKER_TIMEOUT,
      settings: {
        ...props.shared,
        connectionsTableName: connections.tableName,
        callSlotsTableName: callSlots.tableName,
        tokenKmsKeyId: tokenKey.key.keyArn,
        exportBucketName: exportBucket.bucketName,
        runEventsBusName: runEventsBus.eventBusName,
      },
      logRetention: props.logRetention,
    });
    this.eventsWebhookFunction = eventsWebhook.function;
    this.notificationsWebhookFunction = notificationsWebhook.function;
    this.workerFunction = worker.function;
    this.notificationsLogGroup = notificationsWebhook.logGroup;

    // The events webhook reads the connection, the PIM's signing secrets and its credentials (the app's client id:
    // events caused by its own writes are dropped), and queues.
    grantOnItems(connections, eventsWebhook.role, 'dynamodb:GetItem');
    grantReadCredentials(eventsWebhook.role, this, props.secretNamePrefix);
    Validations.of(eventsWebhook.role).acknowledge({
      id: credentialsWildcardFinding(props.secretNamePrefix),
      reason:
        'Reads the signing secrets and the client id of the PIM a delivery names (<prefix>/<pim host key> and its ' +
        '/event-platform secret); both are created per PIM after deploy (GetSecretValue only).',
    });
    this.queue.grant(eventsWebhook.role, 'sqs:SendMessage');

    // The notifications webhook reads the connection and only the signing secrets, and offboards or suspends.
    grantOnItems(connections, notificationsWebhook.role, 'dynamodb:GetItem', 'dynamodb:UpdateItem');
    grantReadSigningSecrets(notificationsWebhook.role, this, props.secretNamePrefix);
    Validations.of(notificationsWebhook.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${props.secretNamePrefix}/*/${EVENT_PLATFORM_SECRET_SUFFIX}-*]`,
      reason:
        "Reads the notification webhook's signing secret of the PIM a notification names; one secret per PIM, " +
        'created at its connect after deploy (GetSecretValue only).',
    });

    // The worker: the entry point to the PIM (connection, token, call slots), the export, its run events.
    grantOnItems(connections, worker.role, 'dynamodb:GetItem', 'dynamodb:UpdateItem');
    grantOnItems(callSlots, worker.role, ...CALL_SLOT_ACTIONS);
    tokenKey.grantDecrypt(worker.role);
    Grant.addToPrincipal({
      grantee: worker.role,
      actions: ['s3:PutObject'],
      resourceArns: [exportBucket.arnForObjects('*')],
    });
    Grant.addToPrincipal({
      grantee: worker.role,
      actions: ['events:PutEvents'],
      resourceArns: [runEventsBus.eventBusArn],
      conditions: {
        StringEquals: { 'events:source': RUN_COMPLETED_SOURCE, 'events:detail-type': RUN_COMPLETED_DETAIL_TYPE },
      },
    });
    this.queue.grant(worker.role, 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes');
    // Up to 10 events per invocation, gathered for at most a second: a burst of saves becomes one search per PIM.
    worker.function.addEventSourceMapping('EventsQueue', {
      eventSourceArn: this.queue.queueArn,
      batchSize: EVENT_WORKER_BATCH_SIZE,
      reportBatchItemFailures: true,
    });
    Validations.of(worker.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(exportBucket.node.defaultChild as CfnBucket)}.Arn>/*]`,
      reason:
        'Writes export objects whose keys hold the PIM host and a run id created at runtime ' +
        '(<pim host>/products/<run id>/part-N.ndjson, deleted.ndjson, manifest.json); PutObject only.',
    });
  }
}

/** Read the Event Platform signing secrets of any PIM (`<prefix>/<pim host key>/event-platform`), not its credentials. */
function grantReadSigningSecrets(grantee: IGrantable, scope: Construct, prefix: string): Grant {
  return Grant.addToPrincipal({
    grantee,
    actions: ['secretsmanager:GetSecretValue'],
    resourceArns: [
      Stack.of(scope).formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${prefix}/*/${EVENT_PLATFORM_SECRET_SUFFIX}-*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    ],
  });
}
