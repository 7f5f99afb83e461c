import type { CfnTemplate, StandInNames } from './stand-in-names';
import type { AuthorizationRequest } from './wire-calls';

/** A call AWS makes with the function's role, not the function's code: no test can record it on the wire. */
export interface CallMadeForTheFunction {
  readonly request: AuthorizationRequest;
  /** Who makes it, and what in the template says so. */
  readonly reason: string;
}

/**
 * The one place that lists the grants a function's role needs for calls its code never makes, each derived from
 * what the template configures (so a grant without its configuration is unused, and a configuration without its
 * grant is a denied call):
 * - the Lambda service writes the function's logs to the log group of its `LoggingConfig`;
 * - an SQS event source mapping polls its queue with the function's role (`sqs:ReceiveMessage`,
 *   `sqs:DeleteMessage`, `sqs:GetQueueAttributes`), so those three are never in the code.
 * A function setting that would need other grants (a dead-letter queue, a VPC, active tracing, a customer key on the
 * environment or on a polled queue, another event source) throws: add it here first.
 */
export function callsMadeForTheFunction(
  template: CfnTemplate,
  names: StandInNames,
  functionLogicalId: string,
): CallMadeForTheFunction[] {
  const properties = template.Resources[functionLogicalId]?.Properties ?? {};
  for (const unmodeled of ['DeadLetterConfig', 'VpcConfig', 'FileSystemConfigs', 'KmsKeyArn']) {
    if (properties[unmodeled] !== undefined) {
      throw new Error(`${functionLogicalId} sets ${unmodeled}: the IAM audit does not know the grants it needs`);
    }
  }
  if ((properties.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active') {
    throw new Error(`${functionLogicalId} has active tracing: the IAM audit does not know the grants it needs`);
  }
  return [...runtimeLogs(names, functionLogicalId, properties), ...queuePolling(template, names, functionLogicalId)];
}

function runtimeLogs(
  names: StandInNames,
  functionLogicalId: string,
  properties: Readonly<Record<string, unknown>>,
): CallMadeForTheFunction[] {
  const logGroup = (properties.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup;
  if (logGroup === undefined) {
    throw new Error(`${functionLogicalId} has no LoggingConfig.LogGroup: the IAM audit does not model /aws/lambda/*`);
  }
  const groupName = names.resolveString(logGroup);
  const stream = `arn:aws:logs:${names.attribute('AWS::Region')}:${names.attribute('AWS::AccountId')}:log-group:${groupName}:log-stream:2026/01/01/[$LATEST]0123456789abcdef`;
  const reason = `the Lambda service writes the function's logs to ${groupName} (its LoggingConfig)`;
  return ['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({
    request: { action, resource: stream, context: {} },
    reason,
  }));
}

/** What the Lambda service needs to poll an SQS queue for a function (AWSLambdaSQSQueueExecutionRole's actions). */
const SQS_POLLING = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

function queuePolling(template: CfnTemplate, names: StandInNames, functionLogicalId: string): CallMadeForTheFunction[] {
  const functionName = names.attribute(functionLogicalId);
  const functionArn = names.attribute(functionLogicalId, 'Arn');
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::EventSourceMapping')
    .filter(([, resource]) => {
      const target = names.resolveString(resource.Properties?.FunctionName);
      return target === functionName || target === functionArn;
    })
    .flatMap(([id, resource]) => {
      const source = names.resolveString(resource.Properties?.EventSourceArn);
      if (!source.startsWith('arn:aws:sqs:')) {
        throw new Error(`${id} reads ${source}: the IAM audit knows only SQS event sources`);
      }
      const queue = Object.entries(template.Resources).find(
        ([queueId, candidate]) => candidate.Type === 'AWS::SQS::Queue' && names.attribute(queueId, 'Arn') === source,
      );
      if (queue?.[1].Properties?.KmsMasterKeyId !== undefined) {
        throw new Error(`${id} polls a queue under a KMS key: the IAM audit does not know the grants it needs`);
      }
      const reason = `the Lambda event source mapping ${id} polls ${source} with the function's role`;
      return SQS_POLLING.map((action) => ({ request: { action, resource: source, context: {} }, reason }));
    });
}
