import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoDbCalls {
  /** By operation (`PutItem`, `Query`…): calls that succeeded, and conditional writes DynamoDB refused. */
  readonly byOperation: Record<string, { ok: number; refused: number }>;
  /** The most requests this client had waiting for DynamoDB at once. */
  readonly maxInFlight: number;
}

/** Counts every request the client sends, as DynamoDB answers it (a middleware on the client's own stack). */
export function countDynamoDbCalls(client: DynamoDBDocumentClient): DynamoDbCalls {
  const calls = { byOperation: {} as DynamoDbCalls['byOperation'], maxInFlight: 0 };
  let inFlight = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName).replace(/Command$/, '');
      calls.byOperation[operation] ??= { ok: 0, refused: 0 };
      const count = calls.byOperation[operation];
      inFlight += 1;
      calls.maxInFlight = Math.max(calls.maxInFlight, inFlight);
      try {
        const result = await next(args);
        count.ok += 1;
        return result;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) count.refused += 1;
        throw error;
      } finally {
        inFlight -= 1;
      }
    },
    { step: 'initialize', name: 'countDynamoDbCalls' },
  );
  return calls;
}
