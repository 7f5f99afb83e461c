import { Aws, Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, type IMetric, MathExpression, Metric, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMES, type MetricName } from '../../functions/observability/metrics';

export interface AppDashboardProps {
  /** The functions' metrics namespace and `service` dimension: the service name. */
  readonly serviceName: string;
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly syncQueue: IQueue;
  readonly syncDeadLetterQueue: IQueue;
}

const PERIOD = Duration.minutes(5);

/**
 * One CloudWatch dashboard for ops: the connect funnel, the sync's throughput, errors and lag, the queue's depth and
 * age, and each function's errors and durations. Per-PIM detail is not here (no PIM dimension): `npm run pim --
 * status` and the logs, which name the PIM host on every line, have it.
 */
export class AppDashboard extends Construct {
  readonly dashboard: Dashboard;
  /** The dashboard in the CloudWatch console of the stack's region. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: AppDashboardProps) {
    super(scope, id);
    const app = (name: MetricName, statistic = 'Sum') =>
      new Metric({
        namespace: props.serviceName,
        metricName: name,
        dimensionsMap: { service: props.serviceName },
        statistic,
        period: PERIOD,
      });
    // One line per error code, whichever codes occur: a search, since the codes are not known in advance.
    const byCode = (name: MetricName, label: string) =>
      new MathExpression({
        expression: `SEARCH('{${props.serviceName},service,errorCode} MetricName="${name}"', 'Sum', ${PERIOD.toSeconds()})`,
        label,
        period: PERIOD,
      });
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 12, height: 6 });
    const functions = Object.entries(props.functions);

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new TextWidget({
            markdown:
              '# Akeneo custom app\nPer-PIM health: `npm run pim -- status --aws --stack <stack>`. ' +
              'The runbook (what each alarm means, the first command) is in the README.',
            width: 24,
            height: 2,
          }),
        ],
        [
          graph(
            'Connect funnel',
            [app(METRIC_NAMES.connectStarted), app(METRIC_NAMES.connectCompleted)],
            [byCode(METRIC_NAMES.connectFailed, 'Failed')],
          ),
          graph(
            'Sync throughput',
            [app(METRIC_NAMES.syncProducts), app(METRIC_NAMES.syncPages)],
            [app(METRIC_NAMES.syncRunCompleted), app(METRIC_NAMES.syncRunContinued)],
          ),
        ],
        [
          graph(
            'Sync errors',
            [byCode(METRIC_NAMES.syncRunFailed, 'Failed'), byCode(METRIC_NAMES.syncConnectionRefused, 'Refused')],
            [app(METRIC_NAMES.syncRateLimited), app(METRIC_NAMES.syncRetries)],
          ),
          graph(
            'Sync lag and run duration',
            [app(METRIC_NAMES.syncLag, 'Maximum'), app(METRIC_NAMES.syncLag, 'Average')],
            [app(METRIC_NAMES.syncRunDuration, 'p90'), app(METRIC_NAMES.syncRunDuration, 'Maximum')],
          ),
        ],
        [
          graph(
            'Connections dispatched and stale',
            [app(METRIC_NAMES.dispatchedConnections, 'Maximum')],
            [app(METRIC_NAMES.staleConnections, 'Maximum')],
          ),
          graph(
            'Sync queue depth and age',
            [
              props.syncQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
              props.syncDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
                period: PERIOD,
                statistic: 'Maximum',
                label: 'Dead letters',
              }),
            ],
            [props.syncQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' })],
          ),
        ],
        [
          graph(
            'Lambda errors and throttles',
            functions.map(([name, fn]) =>
              fn.metricErrors({ period: PERIOD, statistic: 'Sum', label: `${name} errors` }),
            ),
            functions.map(([name, fn]) =>
              fn.metricThrottles({ period: PERIOD, statistic: 'Sum', label: `${name} throttles` }),
            ),
          ),
          graph(
            'Lambda durations (p90)',
            functions.map(([name, fn]) => fn.metricDuration({ period: PERIOD, statistic: 'p90', label: name })),
          ),
        ],
      ],
    });
    this.url = `https://console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.dashboard.dashboardName}`;
  }
}
