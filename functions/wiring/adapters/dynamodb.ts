import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config';
import type { AwsClients } from '../aws-clients';
import { localDynamoDbClientConfig } from '../local-dynamodb';

/** DynamoDB on AWS; locally, the embedded database (or `DYNAMODB_ENDPOINT`) with its key. */
export function createDocumentClient(config: Config, aws: AwsClients): DynamoDBDocumentClient {
  const client = aws.create(
    DynamoDBClient,
    config.dynamodbEndpoint
      ? localDynamoDbClientConfig({ endpoint: config.dynamodbEndpoint, accessKeyId: config.dynamodbAccessKeyId })
      : {},
  );
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
