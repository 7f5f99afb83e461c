import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { SYNC_WORKER_NODE_OPTIONS } from '../../functions/core/page-budget';
import { DEFAULT_APP_SCOPES } from '../../functions/core/scopes';
import { buildStack, logicalIdOf } from './helpers/build-stack';

const { stack, template } = buildStack({ bundle: false });
const app = stack.app;
const resources = template.toJSON().Resources;
const resourceOf = (construct: Parameters<typeof logicalIdOf>[1]) => resources[logicalIdOf(stack, construct)];
const ref = (construct: Parameters<typeof logicalIdOf>[1]) => ({ Ref: logicalIdOf(stack, construct) });
const arnOf = (construct: Parameters<typeof logicalIdOf>[1]) => ({
  'Fn::GetAtt': [logicalIdOf(stack, construct), 'Arn'],
});

describe('Connections status index', () => {
  it('indexes connections by status then PIM host, keys only, so the dispatch never scans the table', () => {
    const properties = resourceOf(app.connectionsTable).Properties;

    expect(properties.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'status-index',
        KeySchema: [
          { AttributeName: 'status', KeyType: 'HASH' },
          { AttributeName: 'pimHost', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: 'reconcile-due-index',
        KeySchema: [
          { AttributeName: 'status', KeyType: 'HASH' },
          { AttributeName: 'reconcileDueAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]);
    expect(properties.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'reconcileDueAt', AttributeType: 'S' },
      ]),
    );
  });
});

describe('Run events bus', () => {
  it("is the app's own bus, with no resource policy: no other account can put events on it", () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    expect(resourceOf(app.runEventsBus).Type).toBe('AWS::Events::EventBus');
    expect(resourceOf(app.runEventsBus).Properties.Policy).toBeUndefined();
  });
});

describe('Sync queue', () => {
  it('is FIFO with deduplication ids from the dispatch, encrypted, and hides a message for 6 worker timeouts', () => {
    expect(resourceOf(app.syncQueue).Properties).toEqual({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 6 * 300,
      RedrivePolicy: { deadLetterTargetArn: arnOf(app.syncDeadLetterQueue), maxReceiveCount: 3 },
    });
  });

  it('sends a message that failed three receives to a FIFO dead-letter queue kept 14 days', () => {
    expect(resourceOf(app.syncDeadLetterQueue).Properties).toEqual({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('refuses requests without TLS on both queues', () => {
    for (const queue of [app.syncQueue, app.syncDeadLetterQueue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(queue)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('feeds the worker one message at a time and reports failed items', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: arnOf(app.syncQueue),
      FunctionName: ref(app.syncWorkerFunction),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('alarms on the first message in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(stack, app.syncDeadLetterQueue), 'QueueName'] } },
      ],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [ref(app.alarmTopic)],
    });
  });
});

describe('Schedule', () => {
  it('invokes the dispatch at the default rate, and drops an event older than one slot', () => {
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: arnOf(app.syncDispatchFunction),
          RetryPolicy: { MaximumEventAgeInSeconds: 900, MaximumRetryAttempts: 2 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: arnOf(app.syncDispatchFunction),
      Principal: 'events.amazonaws.com',
      SourceArn: arnOf(app.syncSchedule),
    });
  });

  it('follows the syncSchedule prop, and tells the dispatch its slot length and the callback when the next run is', () => {
    const hourly = buildStack({ bundle: false, props: { syncSchedule: Duration.hours(1) } });
    const resources = hourly.template.toJSON().Resources;
    const dispatch = resources[logicalIdOf(hourly.stack, hourly.stack.app.syncDispatchFunction)];
    const callback = resources[logicalIdOf(hourly.stack, hourly.stack.app.callbackFunction)];

    hourly.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    expect(dispatch.Properties.Environment.Variables.SYNC_SCHEDULE_MINUTES).toBe('60');
    expect(callback.Properties.Environment.Variables.SYNC_SCHEDULE_MINUTES).toBe('60');
  });
});

describe('Export bucket', () => {
  const bucketPolicyOf = (bucket: typeof app.exportBucket) =>
    Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify(ref(bucket)),
    )?.Properties.PolicyDocument.Statement;

  it('is encrypted by S3, private and owned by the account, and retained', () => {
    for (const bucket of [app.exportBucket, app.exportAccessLogBucket]) {
      expect(resourceOf(bucket)).toEqual(
        expect.objectContaining({
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
          Properties: expect.objectContaining({
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
            },
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: true,
              BlockPublicPolicy: true,
              IgnorePublicAcls: true,
              RestrictPublicBuckets: true,
            },
            OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
          }),
        }),
      );
      expect(resourceOf(bucket).Properties.AccessControl).toBeUndefined();
    }
  });

  it('refuses requests without TLS 1.2', () => {
    for (const bucket of [app.exportBucket, app.exportAccessLogBucket]) {
      expect(bucketPolicyOf(bucket)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      );
    }
  });

  it('expires exports after 90 days and abandoned uploads after a day', () => {
    expect(resourceOf(app.exportBucket).Properties.LifecycleConfiguration).toEqual({
      Rules: [
        {
          Id: 'expire-exports',
          Status: 'Enabled',
          ExpirationInDays: 90,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ],
    });
  });

  it('logs every access to the access-log bucket, which only S3 log delivery may write, for the log retention', () => {
    expect(resourceOf(app.exportBucket).Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: ref(app.exportAccessLogBucket),
      LogFilePrefix: 'exports/',
    });
    expect(resourceOf(app.exportAccessLogBucket).Properties.LifecycleConfiguration).toEqual({
      Rules: [{ Id: 'expire-access-logs', Status: 'Enabled', ExpirationInDays: 30 }],
    });
    expect(bucketPolicyOf(app.exportAccessLogBucket)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Condition: {
            ArnLike: { 'aws:SourceArn': arnOf(app.exportBucket) },
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          },
        }),
      ]),
    );
  });

  it('follows the exportRetention prop', () => {
    const custom = buildStack({ bundle: false, props: { exportRetention: Duration.days(7) } });

    custom.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-exports', ExpirationInDays: 7 })] },
    });
  });
});

describe('Sync functions', () => {
  const propertiesOf = (fn: NodejsFunction) => resourceOf(fn).Properties;
  const logging = {
    APP_MODE: 'aws',
    POWERTOOLS_SERVICE_NAME: 'akeneo-custom-app',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };

  it('size the dispatch for a minute of paging and batches, the worker for 5-minute steps of JSON and network', () => {
    const sizing = (fn: NodejsFunction) => [propertiesOf(fn).MemorySize, propertiesOf(fn).Timeout];

    expect(sizing(app.syncDispatchFunction)).toEqual([256, 60]);
    expect(sizing(app.syncWorkerFunction)).toEqual([1024, 300]);
  });

  it('give the dispatch the index, the queue and the schedule, and nothing about tokens or exports', () => {
    expect(propertiesOf(app.syncDispatchFunction).Environment.Variables).toEqual({
      ...logging,
      CONNECTIONS_TABLE_NAME: ref(app.connectionsTable),
      CONNECTIONS_STATUS_INDEX: 'status-index',
      SYNC_QUEUE_URL: ref(app.syncQueue),
      SYNC_SCHEDULE_MINUTES: '15',
    });
  });

  it('give the worker the connections, the call slots, the token key, its queue, the export bucket, the run events bus and the requested scopes', () => {
    expect(propertiesOf(app.syncWorkerFunction).Environment.Variables).toEqual({
      ...logging,
      // A connection granted fewer is told to its PIM (scopes/update).
      APP_SCOPES: DEFAULT_APP_SCOPES.join(' '),
      // The heap bound the client's page limits are derived from (functions/core/page-budget.ts).
      NODE_OPTIONS: SYNC_WORKER_NODE_OPTIONS.join(' '),
      CONNECTIONS_TABLE_NAME: ref(app.connectionsTable),
      CALL_SLOTS_TABLE_NAME: ref(app.callSlotsTable),
      TOKEN_KMS_KEY_ID: arnOf(app.tokenKey),
      SYNC_QUEUE_URL: ref(app.syncQueue),
      EXPORT_BUCKET_NAME: ref(app.exportBucket),
      RUN_EVENTS_BUS_NAME: ref(app.runEventsBus),
      PRODUCT_SOURCE: 'products',
      CATALOG_NAME: 'akeneo-custom-app',
      RECONCILE_HOURS: '24',
    });
  });
});
