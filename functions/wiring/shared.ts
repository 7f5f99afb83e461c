import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config';
import { type AwsCallingFunction, awsClientOptions } from './aws-client-options';
import { localDynamoDbClientConfig } from './local-dynamodb';

/** Where time and randomness come from; tests and the local server may pass their own. */
export interface RuntimeOptions {
  /** Epoch seconds. */
  readonly now?: () => number;
  readonly randomBytes?: (size: number) => Uint8Array;
}

export const systemNow = () => Math.floor(Date.now() / 1000);
export const systemRandomBytes = (size: number): Uint8Array => nodeRandomBytes(size);

export function createDocumentClient(config: Config, caller?: AwsCallingFunction): DynamoDBDocumentClient {
  const client = config.dynamodbEndpoint
    ? new DynamoDBClient({
        ...localDynamoDbClientConfig({ endpoint: config.dynamodbEndpoint, accessKeyId: config.dynamodbAccessKeyId }),
        ...awsClientOptions(caller),
      })
    : new DynamoDBClient(awsClientOptions(caller));
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
