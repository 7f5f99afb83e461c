import { DynamoDbSyncStateStore } from '../../functions/adapters/connection-store';
import { parseProductPage, productsUrl } from '../../functions/akeneo/products';
import { AkeneoRestClient } from '../../functions/akeneo/rest-client';
import { type Config, requireSetting } from '../../functions/config';
import { createDocumentClient } from '../../functions/wiring/adapters/dynamodb';
import { createProductSink } from '../../functions/wiring/adapters/product-sink';
import { createTokenCipher } from '../../functions/wiring/adapters/token-cipher';
import { awsClients } from '../../functions/wiring/aws-clients';

/**
 * The straightforward sync, for comparison: the same adapters as the worker, but fetch a page, write it, and only
 * then fetch the next.
 */
export async function naiveSync(config: Config, pimHost: string): Promise<{ products: number; parts: number }> {
  const aws = awsClients('sync-worker');
  const store = new DynamoDbSyncStateStore({
    client: createDocumentClient(config, aws),
    tableName: requireSetting(config, 'connectionsTableName'),
  });
  const connection = await store.get(pimHost);
  if (!connection?.encryptedToken) throw new Error(`No connected token for ${pimHost}`);
  const token = await createTokenCipher(config, aws).decrypt(connection.encryptedToken, pimHost);
  const pim = new AkeneoRestClient({ pimUrl: connection.pimUrl, accessToken: token });
  const sink = createProductSink(config, aws);
  const startedAt = new Date().toISOString();
  const run = { pimHost, runId: `naive-${Date.now()}` };
  const counts: number[] = [];
  try {
    for (let url: string | undefined = productsUrl(connection.pimUrl); url !== undefined; ) {
      const page = parseProductPage(await pim.getJson(url));
      if (page.items.length > 0) {
        counts.push(page.items.length);
        await sink.writePart(run, counts.length, page.items);
      }
      url = page.nextUrl;
    }
  } finally {
    await pim.close();
  }
  const products = counts.reduce((sum, count) => sum + count, 0);
  const completedAt = new Date().toISOString();
  await sink.completeRun(run, {
    pimUrl: connection.pimUrl,
    window: { to: startedAt },
    parts: counts.map((productCount, index) => ({ partNumber: index + 1, productCount })),
    // A naive full export: it does not tell re-reads apart.
    rereadCount: 0,
    startedAt,
    completedAt,
  });
  await store.completeRun(pimHost, { runId: run.runId, cursor: startedAt, completedAt, productCount: products });
  return { products, parts: counts.length };
}
