import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../functions/config';
import { CONNECTIONS_STATUS_INDEX } from '../functions/contract/tables';
import { ensureTables } from '../local/tables';
import { buildChild, type FunctionBundle } from './support/build';
import { invokeInChild } from './support/invoke';
import { round } from './support/stats';
import type { World } from './support/world';

export interface DispatchRun {
  readonly latencyMs: number;
  readonly ms: number;
  /** `ms / D`: round trips one after the other (at D > 0). */
  readonly sequentialRoundTrips?: number;
  readonly dynamodbCalls: Record<string, number>;
  readonly sqsCalls: Record<string, number>;
  readonly messages: number;
  readonly largestBatch: number;
  readonly messageGroups: number;
  /** What the handler itself reported. */
  readonly summary: unknown;
}

export interface DispatchScaleResult {
  readonly connections: number;
  /** Bytes of the status index as DynamoDB counts them for a Query (names and values of the projected keys). */
  readonly indexBytes: number;
  /** One Query page per 1 MB of index. */
  readonly expectedQueryPages: number;
  /** One SendMessageBatch per 10 connections. */
  readonly expectedSqsCalls: number;
  readonly runs: readonly DispatchRun[];
  readonly failures: readonly string[];
}

const TABLE = 'bench-dispatch-connections';
const INDEX = CONNECTIONS_STATUS_INDEX.name;
const MB = 1024 * 1024;

/**
 * Issue 7, point 4. 10,000 active connections in dynalite; the synth SyncDispatch bundle in a fresh process sends
 * their sync messages to the SQS stand-in. The delay proxies count the DynamoDB and SQS calls; run at latency 0 and
 * at D (on DynamoDB and SQS alike), whose wall time / D gives the round trips in sequence.
 */
export async function measureDispatchScale(
  world: World,
  dispatch: FunctionBundle,
  options: { readonly connections: number; readonly latencyMs: number; readonly log: (line: string) => void },
): Promise<DispatchScaleResult> {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    endpoint: world.dynamodb.direct,
  });
  await ensureTables(
    client,
    loadConfig({
      STATES_TABLE_NAME: 'bench-dispatch-states',
      CONNECTIONS_TABLE_NAME: TABLE,
      CONNECTIONS_STATUS_INDEX: INDEX,
      CALL_SLOTS_TABLE_NAME: 'bench-dispatch-call-slots',
    }),
  );
  client.destroy();

  let indexBytes = 0;
  const items = Array.from({ length: options.connections }, (_, index) => {
    const pimHost = `pim-${String(index).padStart(5, '0')}.cloud.akeneo.example`;
    indexBytes += 'pimHost'.length + pimHost.length + 'status'.length + 'active'.length;
    return {
      pimHost,
      pimUrl: `https://${pimHost}`,
      status: 'active',
      encryptedToken: `kms1.${'A'.repeat(240)}.${'B'.repeat(16)}.${'C'.repeat(22)}.${'D'.repeat(120)}`,
      tokenVersion: index.toString(16).padStart(12, '0'),
      scopes: ['read_products', 'read_catalog_structure', 'openid', 'email', 'profile'],
      connectedAt: new Date().toISOString(),
      firstConnectedAt: new Date().toISOString(),
      lastStateHash: 'f'.repeat(64),
    };
  });
  const batches: (typeof items)[] = [];
  for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
  for (let start = 0; start < batches.length; start += 8) {
    await Promise.all(
      batches
        .slice(start, start + 8)
        .map((batch) =>
          world.documents.send(
            new BatchWriteCommand({ RequestItems: { [TABLE]: batch.map((Item) => ({ PutRequest: { Item } })) } }),
          ),
        ),
    );
  }
  options.log(`  dispatch: ${options.connections} connections written`);

  const script = await buildChild('invoke-child');
  const env = {
    ...world.lambdaEnv(dispatch.environment),
    CONNECTIONS_TABLE_NAME: TABLE,
    CONNECTIONS_STATUS_INDEX: INDEX,
  };
  const runs: DispatchRun[] = [];
  const failures: string[] = [];
  for (const latencyMs of [0, options.latencyMs]) {
    world.setDelay(latencyMs);
    world.dynamodb.proxy.reset();
    world.sqs.proxy.reset();
    world.sqs.standIn.reset();
    const report = await invokeInChild(script, env, dispatch.bundlePath, { time: new Date().toISOString() });
    if (!report.ok) failures.push(report.detail);
    const { stats, groups } = world.sqs.standIn;
    if (stats.messages !== options.connections) {
      failures.push(`${stats.messages} messages sent for ${options.connections} connections`);
    }
    runs.push({
      latencyMs,
      ms: round(report.handlerMs, 0),
      ...(latencyMs > 0 ? { sequentialRoundTrips: round(report.handlerMs / latencyMs, 1) } : {}),
      dynamodbCalls: world.dynamodb.proxy.counts(),
      sqsCalls: world.sqs.proxy.counts(),
      messages: stats.messages,
      largestBatch: stats.largestBatch,
      messageGroups: groups.size,
      summary: report.result,
    });
    options.log(`  dispatch: D = ${latencyMs} ms, ${round(report.handlerMs / 1000, 2)} s`);
  }
  world.setDelay(0);
  return {
    connections: options.connections,
    indexBytes,
    expectedQueryPages: Math.max(1, Math.ceil(indexBytes / MB)),
    expectedSqsCalls: Math.ceil(options.connections / 10),
    runs,
    failures,
  };
}
