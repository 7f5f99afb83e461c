import { Match } from 'aws-cdk-lib/assertions';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { ALARMED_CONNECT_FAILURES } from '../../lib/constructs/app-alarms';
import { buildStack, logicalIdOf } from './helpers/build-stack';
import { render } from './helpers/render';

const { stack, template } = buildStack({ bundle: false });
const app = stack.app;
const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
const labels = new Map([[logicalIdOf(stack, app.endpoint.api), 'Api']]);
const output = (name: string) => render(outputs[name]?.Value, labels);

describe('Outputs', () => {
  it('give the two URLs to paste into the PIM', () => {
    expect(output('ActivateUrl')).toBe('https://<Api>.execute-api.<AWS::Region>.<AWS::URLSuffix>/activate');
    expect(output('CallbackUrl')).toBe('https://<Api>.execute-api.<AWS::Region>.<AWS::URLSuffix>/callback');
  });

  it('give ops the secret prefix, the tables, their policy, the sync and events queues, the webhooks, the export bucket, the run events bus and the alarm topic', () => {
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'ActivateUrl',
        'CallbackUrl',
        'SecretPrefix',
        'StatesTableName',
        'ConnectionsTableName',
        'OpsPolicyArn',
        'ExportBucketName',
        'SyncQueueUrl',
        'SyncDeadLetterQueueUrl',
        'RunEventsBusName',
        'EventsWebhookUrlPattern',
        'EventNotificationsWebhookUrlPattern',
        'EventsQueueUrl',
        'EventsDeadLetterQueueUrl',
        'AlarmTopicArn',
        'DashboardUrl',
      ].sort(),
    );
    expect(outputs.EventsQueueUrl.Value).toEqual({ Ref: logicalIdOf(stack, app.eventsQueue) });
    expect(outputs.EventsDeadLetterQueueUrl.Value).toEqual({ Ref: logicalIdOf(stack, app.eventsDeadLetterQueue) });
    expect(output('EventsWebhookUrlPattern')).toBe(
      'https://<Api>.execute-api.<AWS::Region>.<AWS::URLSuffix>/events/<pim host key>',
    );
    expect(outputs.SecretPrefix.Value).toBe('akeneo-custom-app/pims');
    expect(outputs.StatesTableName.Value).toEqual({ Ref: logicalIdOf(stack, app.statesTable) });
    expect(outputs.ConnectionsTableName.Value).toEqual({ Ref: logicalIdOf(stack, app.connectionsTable) });
    expect(outputs.OpsPolicyArn.Value).toEqual({ Ref: logicalIdOf(stack, app.opsPolicy) });
    expect(outputs.ExportBucketName.Value).toEqual({ Ref: logicalIdOf(stack, app.exportBucket) });
    expect(outputs.SyncQueueUrl.Value).toEqual({ Ref: logicalIdOf(stack, app.syncQueue) });
    expect(outputs.SyncDeadLetterQueueUrl.Value).toEqual({ Ref: logicalIdOf(stack, app.syncDeadLetterQueue) });
    expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: logicalIdOf(stack, app.alarmTopic) });
    expect(outputs.RunEventsBusName.Value).toEqual({ Ref: logicalIdOf(stack, app.runEventsBus) });
  });

  it('use the custom domain when there is one', () => {
    const custom = buildStack({
      bundle: false,
      context: {
        'akeneo:customDomainName': 'akeneo-app.example.com',
        'akeneo:certificateArn': 'arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      },
    });
    const customOutputs = custom.template.toJSON().Outputs;

    expect(customOutputs.ActivateUrl.Value).toBe('https://akeneo-app.example.com/activate');
    expect(customOutputs.CallbackUrl.Value).toBe('https://akeneo-app.example.com/callback');
    expect(customOutputs.CustomDomainTarget).toBeDefined();
    custom.template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'akeneo-app.example.com',
      DomainNameConfigurations: [Match.objectLike({ EndpointType: 'REGIONAL' })],
    });
    custom.template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', { Stage: '$default' });
  });
});

describe('Alarms', () => {
  const topic = { Ref: logicalIdOf(stack, app.alarmTopic) };
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
  const watched = (namespace: string, metric: string, dimension: string, id: string) =>
    alarms.filter(
      (a) =>
        a.Namespace === namespace &&
        a.MetricName === metric &&
        JSON.stringify(a.Dimensions) === JSON.stringify([{ Name: dimension, Value: { Ref: id } }]),
    );

  it('watch API 5xx, each function for errors and throttles, the sync and events dead-letter queues and connect failures by code', () => {
    // 21, one per connect failure code that needs ops, and the stale connections (dashboard-and-metric-alarms.test.ts).
    expect(alarms).toHaveLength(21 + Object.keys(ALARMED_CONNECT_FAILURES).length + 1);
    expect(watched('AWS/ApiGateway', '5xx', 'ApiId', logicalIdOf(stack, app.endpoint.api))).toHaveLength(1);
    expect(
      alarms.filter((a) => a.Namespace === 'AWS/SQS' && a.MetricName === 'ApproximateNumberOfMessagesVisible'),
    ).toEqual([
      expect.objectContaining({
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(stack, app.syncDeadLetterQueue), 'QueueName'] } },
        ],
      }),
      expect.objectContaining({
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(stack, app.eventsDeadLetterQueue), 'QueueName'] } },
        ],
      }),
    ]);
    const fns: NodejsFunction[] = [
      app.eventsWebhookFunction,
      app.eventNotificationsWebhookFunction,
      app.eventWorkerFunction,
      app.landingFunction,
      app.activateFunction,
      app.callbackFunction,
      app.syncDispatchFunction,
      app.syncWorkerFunction,
    ];
    for (const fn of fns) {
      for (const metric of ['Errors', 'Throttles']) {
        expect(watched('AWS/Lambda', metric, 'FunctionName', logicalIdOf(stack, fn))).toHaveLength(1);
      }
    }
  });

  it('watch the age of the oldest event (over 60 s: the export is no longer fresh) and every subscription suspended', () => {
    expect(alarms.filter((a) => a.MetricName === 'ApproximateAgeOfOldestMessage')).toEqual([
      expect.objectContaining({
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(stack, app.eventsQueue), 'QueueName'] } },
        ],
        Statistic: 'Maximum',
        Threshold: 60,
        AlarmActions: [topic],
      }),
    ]);
    expect(alarms.filter((a) => a.MetricName === 'EventSubscriptionSuspended')).toEqual([
      expect.objectContaining({ Statistic: 'Sum', Threshold: 1, AlarmActions: [topic] }),
    ]);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.message = "Event Platform subscription suspended" }',
      LogGroupName: { Ref: logicalIdOf(stack, app.eventNotificationsWebhookFunction.logGroup) },
    });
  });

  it('fire on the first failure (or dead letter) in five minutes and notify the topic', () => {
    for (const alarm of alarms.filter((a) => a.MetricName !== 'ApproximateAgeOfOldestMessage')) {
      expect(alarm).toEqual(
        expect.objectContaining({
          // A queue's message count is a gauge: its maximum, not its sum over the period.
          Statistic: alarm.Namespace === 'AWS/SQS' || alarm.MetricName === 'StaleConnections' ? 'Maximum' : 'Sum',
          Period: 300,
          Threshold: 1,
          EvaluationPeriods: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [topic],
        }),
      );
    }
  });

  it('go to a topic encrypted with a rotated key that CloudWatch may use, over TLS only', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      },
    });
  });
});
