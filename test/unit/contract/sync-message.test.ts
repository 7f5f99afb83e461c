import { decodeSyncMessage, encodeSyncMessage, type SyncMessageBody } from '../../../functions/contract/sync-message';

describe('the sync message body', () => {
  it.each<[string, SyncMessageBody]>([
    ['a scheduled sync', { pimHost: 'pim.example.com', kind: 'scheduled' }],
    ['a continuation of its run', { pimHost: 'localhost:3001', kind: 'continuation', runId: '20261128T120000Z-ab12' }],
    ['a reconciliation pass', { pimHost: 'pim.example.com', kind: 'reconcile' }],
    ['the continuation of a pass', { pimHost: 'pim.example.com', kind: 'reconcile', runId: '20261128T120000Z-cd34' }],
  ])('reads back %s exactly as it was sent, kind included', (_name, body) => {
    expect(decodeSyncMessage(encodeSyncMessage(body))).toEqual(body);
  });

  it('sends only the body: the deduplication id travels as an SQS attribute', () => {
    const message = { pimHost: 'pim.example.com', kind: 'scheduled' as const, deduplicationId: 'd' };

    expect(JSON.parse(encodeSyncMessage(message))).toEqual({ pimHost: 'pim.example.com', kind: 'scheduled' });
  });

  it('takes a body without a kind, as an operator may send by hand, for a scheduled sync', () => {
    expect(decodeSyncMessage('{"pimHost":"pim.example.com"}')).toEqual({
      pimHost: 'pim.example.com',
      kind: 'scheduled',
    });
  });

  it.each([
    ['not JSON', 'pim.example.com', /not JSON/],
    ['not an object', '"pim.example.com"', /not a JSON object/],
    ['no PIM host', '{"kind":"scheduled"}', /without a PIM host/],
    [
      'an unknown kind',
      '{"pimHost":"p.example.com","kind":"full"}',
      /unknown kind \(expected scheduled, continuation or reconcile\)/,
    ],
    ['a run id that is not a string', '{"pimHost":"p.example.com","kind":"continuation","runId":7}', /run id/],
    ['a continuation without its run', '{"pimHost":"p.example.com","kind":"continuation"}', /without its run id/],
  ])('refuses a body with %s', (_name, text, message) => {
    expect(() => decodeSyncMessage(text)).toThrow(message);
  });
});
