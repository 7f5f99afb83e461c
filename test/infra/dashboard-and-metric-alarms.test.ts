import { Match } from 'aws-cdk-lib/assertions';
import { METRIC_NAMES } from '../../functions/observability/metrics';
import { ALARMED_CONNECT_FAILURES } from '../../lib/constructs/app-alarms';
import { buildStack, logicalIdOf } from './helpers/build-stack';
import { render } from './helpers/render';

const { stack, template } = buildStack({ bundle: false });
const app = stack.app;

/** The dashboard's body, its tokens rendered (`<Logical id>`, `<AWS::Region>`). */
function dashboardBody(): string {
  const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
  expect(Object.keys(dashboards)).toHaveLength(1);
  const [dashboard] = Object.values(dashboards) as Array<{ Properties: { DashboardBody: unknown } }>;
  return render(dashboard?.Properties.DashboardBody, new Map());
}

describe('The dashboard', () => {
  it('graphs the connect funnel, the sync throughput, errors and lag, the queue and the functions', () => {
    const body = dashboardBody();
    for (const name of Object.values(METRIC_NAMES))
      expect({ name, shown: body.includes(`"${name}"`) || body.includes(`MetricName=\\"${name}\\"`) }).toEqual({
        name,
        shown: true,
      });
    for (const title of [
      'Connect funnel',
      'Sync throughput',
      'Sync errors',
      'Sync lag and run duration',
      'Sync queue depth and age',
      'Lambda errors and throttles',
      'Lambda durations (p90)',
    ]) {
      expect(body).toContain(`"title":"${title}"`);
    }
    expect(body).toContain('ApproximateAgeOfOldestMessage');
    expect(body).toContain('"Dead letters"');
    expect(body).not.toMatch(/pimHost/i);
  });

  it('is a stack output, as a console URL in the stack region', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const dashboardId = logicalIdOf(stack, app.dashboard);
    expect(render(outputs.DashboardUrl?.Value, new Map([[dashboardId, 'Dashboard']]))).toBe(
      'https://console.aws.amazon.com/cloudwatch/home?region=<AWS::Region>#dashboards:name=<Dashboard>',
    );
  });
});

describe('The alarms on the functions metrics', () => {
  it('alarm on a stale connection, counted by the dispatch', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'akeneo-custom-app',
      MetricName: METRIC_NAMES.staleConnections,
      Dimensions: [{ Name: 'service', Value: 'akeneo-custom-app' }],
      Statistic: 'Maximum',
      Threshold: 1,
      AlarmActions: [{ Ref: logicalIdOf(stack, app.alarmTopic) }],
    });
  });

  it.each(Object.keys(ALARMED_CONNECT_FAILURES))('alarm on connect failures with the code %s, to the topic', (code) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'akeneo-custom-app',
      MetricName: METRIC_NAMES.connectFailed,
      Dimensions: Match.arrayWith([
        { Name: 'errorCode', Value: code },
        { Name: 'service', Value: 'akeneo-custom-app' },
      ]),
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: logicalIdOf(stack, app.alarmTopic) }],
    });
  });
});
