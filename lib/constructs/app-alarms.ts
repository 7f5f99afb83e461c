import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMES } from '../../functions/observability/metrics';

export interface AppAlarmsProps {
  readonly api: HttpApi;
  /** The functions to watch, by a short name used in the alarm descriptions. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** Dead-letter queues to watch, by a short name: one message there is a run that failed for good. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** Other alarms, by id: a metric, what it means, and the value that sets it off (at or above). */
  readonly metrics?: Readonly<
    Record<string, { readonly description: string; readonly metric: Metric; readonly threshold: number }>
  >;
  /** The functions' own metrics (namespace and `service` dimension: the service name), for the alarms by code. */
  readonly serviceName?: string;
}

/**
 * The connect failures that need ops, each its own alarm (one per code: the runbook in the README says what each
 * means and the first command); the others are an admin's own doing (an expired link, a denied consent).
 */
export const ALARMED_CONNECT_FAILURES = {
  pim_rejected_credentials:
    'A PIM rejected the app credentials: Regenerate was pressed, or the wrong secret is registered',
  malformed_credentials: "A PIM's registered credentials are malformed",
  pim_unavailable: 'A PIM could not be reached during a connection (timeout, 5xx, DNS)',
  invalid_id_token: "A PIM's identity token could not be verified",
  code_expired: 'An authorization code expired before the exchange (a slow cold start, or a PIM clock far off)',
  unexpected: 'A connection failed unexpectedly (a database, Secrets Manager or KMS failure)',
} as const;

const PERIOD = Duration.minutes(5);

/**
 * Alarms on what a PIM admin would notice first (API 5xx, function errors, throttles, failed sync runs), all sent to
 * one topic that ops subscribe to.
 */
export class AppAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AppAlarmsProps) {
    super(scope, id);
    // Its own key: CloudWatch cannot publish to a topic under the AWS-managed SNS key, and the token key's policy
    // stays free of any service principal.
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the alarm notifications of the Akeneo custom app',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    const account = Stack.of(this).account;
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Akeneo custom app alarms',
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );

    this.watch(
      'Api5xx',
      'The API answered 5xx: a function crashed, timed out or was throttled',
      props.api.metricServerError({ period: PERIOD, statistic: 'Sum' }),
    );
    for (const [name, fn] of Object.entries(props.functions)) this.watchFunction(name, fn);
    if (props.serviceName !== undefined) {
      this.watchConnectFailures(props.serviceName);
      // A gauge, counted at each dispatch: its maximum over the period.
      this.watch(
        'StaleConnections',
        'A PIM has had no successful sync for 3 schedule slots (npm run pim -- status shows which)',
        new Metric({
          namespace: props.serviceName,
          metricName: METRIC_NAMES.staleConnections,
          dimensionsMap: { service: props.serviceName },
          statistic: 'Maximum',
          period: PERIOD,
        }),
      );
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      // Maximum, not Sum: the metric is a gauge of the messages waiting, sampled every minute.
      this.watch(
        `${name}Messages`,
        `The ${name} holds a message: it failed every retry and needs a look`,
        queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      );
    }
    for (const [name, { description, metric, threshold }] of Object.entries(props.metrics ?? {})) {
      this.watch(name, description, metric, threshold);
    }
  }

  /** Alarms on the function's errors and throttles; `name` (letters and digits) names them and their description. */
  watchFunction(name: string, fn: IFunction): void {
    this.watch(
      `${name}Errors`,
      `The ${name} function failed (crash or timeout)`,
      fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
    );
    this.watch(
      `${name}Throttles`,
      `The ${name} function was throttled (concurrency limit reached)`,
      fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
    );
  }

  private watchConnectFailures(serviceName: string): void {
    for (const [code, description] of Object.entries(ALARMED_CONNECT_FAILURES)) {
      const metric = new Metric({
        namespace: serviceName,
        metricName: METRIC_NAMES.connectFailed,
        dimensionsMap: { service: serviceName, errorCode: code },
        statistic: 'Sum',
        period: PERIOD,
      });
      this.watch(`ConnectFailed${pascalCase(code)}`, `${description} (ConnectFailed, errorCode ${code})`, metric);
    }
  }

  private watch(id: string, description: string, metric: Metric, threshold = 1): void {
    const alarm = new Alarm(this, id, {
      metric,
      alarmDescription: description,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}

function pascalCase(code: string): string {
  return code.replace(/(^|_)([a-z])/g, (_match, _separator, letter: string) => letter.toUpperCase());
}
