import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Connection } from '../../core/connection';
import type { SyncTimes } from './sync-interface';

/** BatchGetItem takes at most 100 keys. */
const BATCH_SIZE = 100;

export interface DynamoDbSyncTimesOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * When each connection last synced (or connected), for the dispatch's stale count: one BatchGetItem per 100 hosts
 * of the page it just read from the status index, projected to three small attributes. The index stays keys-only,
 * so no table update is needed to deploy this.
 */
export class DynamoDbSyncTimes implements SyncTimes {
  constructor(private readonly options: DynamoDbSyncTimesOptions) {}

  async of(pimHosts: readonly string[]): Promise<SyncTimesItem[]> {
    const items: SyncTimesItem[] = [];
    for (let start = 0; start < pimHosts.length; start += BATCH_SIZE) {
      let keys: Record<string, unknown>[] = pimHosts.slice(start, start + BATCH_SIZE).map((pimHost) => ({ pimHost }));
      // Keys DynamoDB left unprocessed (throughput) are asked for again, a few times at most.
      for (let attempt = 0; keys.length > 0 && attempt < 5; attempt += 1) {
        const answer = await this.options.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.options.tableName]: {
                Keys: keys,
                ProjectionExpression: 'pimHost, #status, lastSyncAt, connectedAt',
                ExpressionAttributeNames: { '#status': 'status' },
              },
            },
          }),
        );
        items.push(...((answer.Responses?.[this.options.tableName] ?? []) as SyncTimesItem[]));
        keys = (answer.UnprocessedKeys?.[this.options.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return items;
  }
}

export type SyncTimesItem = Pick<Connection, 'pimHost' | 'status' | 'lastSyncAt' | 'connectedAt'>;
