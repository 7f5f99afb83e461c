/**
 * One Lambda function in a process of its own, as the runtime runs it: the handler module (first argument) loaded
 * once, so its configuration is read at the first event (a cold start) and its clients kept for the next ones
 * (warm); the environment exactly what the parent gives it. Events come over IPC, one at a time:
 * `{ id, event, remainingMs }` → `{ id, result }` or `{ id, error }`.
 */
import type { Context } from 'aws-lambda';

interface Invocation {
  readonly id: number;
  readonly event: unknown;
  /** What `context.getRemainingTimeInMillis()` starts from. */
  readonly remainingMs: number;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const handlerFile = process.argv[2];
if (!handlerFile) throw new Error('Usage: lambda-child <handler file>');

function contextFor(invocation: Invocation): Context {
  const deadline = Date.now() + invocation.remainingMs;
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'function';
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `request-${invocation.id}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

process.on('message', (invocation: Invocation) => {
  const { handler } = require(handlerFile) as { handler: Handler };
  handler(invocation.event, contextFor(invocation)).then(
    (result) => process.send?.({ id: invocation.id, result }),
    (error: unknown) => process.send?.({ id: invocation.id, error: String((error as Error)?.stack ?? error) }),
  );
});
