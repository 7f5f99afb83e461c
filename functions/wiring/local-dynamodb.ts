import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/** Where a local DynamoDB answers, and the access key id it asks for. */
export interface LocalDynamoDb {
  readonly endpoint: string;
  /** The embedded database's key (`DATA_DIR/dynamodb-key`); absent for DynamoDB Local, which takes any credentials. */
  readonly accessKeyId?: string;
}

/** A client config for a local DynamoDB: any region and secret do, the access key id must be the database's own. */
export function localDynamoDbClientConfig({ endpoint, accessKeyId }: LocalDynamoDb): DynamoDBClientConfig {
  return {
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: accessKeyId ?? 'local', secretAccessKey: 'local' },
  };
}
