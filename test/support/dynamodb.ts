import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The DynamoDB Local started by the jest global setup. `npm test` starts it only when a selected suite imports this
 * file (directly or through other test files: scripts/test-needs.js), so reach it only through here.
 */
export function dynamoDbEndpoint(): string {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) {
    throw new Error(
      'TEST_DYNAMODB_ENDPOINT is not set: run the tests through jest (npm test), and reach DynamoDB Local only ' +
        'through test/support/dynamodb.ts, which is how npm test knows to start it',
    );
  }
  return endpoint;
}

export function testDocumentClient(): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    endpoint: dynamoDbEndpoint(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Table names no other suite uses. */
export function uniqueTableNames() {
  const suffix = randomUUID().slice(0, 8);
  return {
    statesTableName: `states-${suffix}`,
    connectionsTableName: `connections-${suffix}`,
    callSlotsTableName: `call-slots-${suffix}`,
  };
}
