/** Locally, DynamoDB is embedded or DynamoDB Local: any credentials and region do, as long as they are set. */
export const LOCAL_AWS_CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;
