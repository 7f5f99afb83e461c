import { loadConfig } from '../../functions/config';
import { runCompletedDetail, runCompletedEvent } from '../../functions/contract/run-completed-event';
import { makeNameWithSkuHandler } from '../../functions/name-with-sku';
import { createNameWithSkuDeps } from '../../functions/wiring/name-with-sku';

const EXPECTED = 'Expected a "Sync Run Completed" event of akeneo-custom-app, version 1';

const event = runCompletedEvent(
  runCompletedDetail(
    {
      pimHost: 'my-pim.example.com',
      pimUrl: 'https://my-pim.example.com',
      runId: '20261128T120000Z-3f9a1c',
      window: { to: '2026-11-28T12:00:00.000Z' },
      partProductCounts: [1],
      rereadCount: 0,
      startedAt: '2026-11-28T12:00:00.000Z',
      completedAt: '2026-11-28T12:00:09.000Z',
    },
    { path: '/tmp/manifest.json', uri: 'file:///tmp/manifest.json' },
  ),
);

describe("the example worker's handler", () => {
  // Local mode on a database that does not exist: any read of a connection would fail, not refuse the event.
  const handler = makeNameWithSkuHandler(
    createNameWithSkuDeps(
      loadConfig({ APP_MODE: 'local', DATA_DIR: '/nonexistent', DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' }),
    ),
  );

  it.each([
    ['another source', { ...event, source: 'another-app' }],
    ['another detail-type', { ...event, 'detail-type': 'Object Created' }],
    ['another version', { ...event, detail: { ...event.detail, version: 2 } }],
    ['no PIM host', { ...event, detail: { ...event.detail, pimHost: undefined } }],
    ['no window', { ...event, detail: { ...event.detail, window: undefined } }],
    ['no detail', { source: event.source, 'detail-type': event['detail-type'] }],
  ])('refuses an event with %s before reading anything, saying what it expects', async (_case, wrong) => {
    await expect(handler(wrong as never)).rejects.toThrow(EXPECTED);
  });
});
