import {
  decodeProductEventMessage,
  deduplicationIdOf,
  encodeProductEventMessage,
  type ProductEventMessageBody,
} from '../../../functions/contract/product-event-message';

const message: ProductEventMessageBody = {
  pimHost: 'localhost:3001',
  eventId: '01890c2e-7a3b-7000-8000-000000000001',
  change: 'deleted',
  productUuid: '1e40ea06-8f45-4b8c-9e1a-1b2c3d4e5f60',
  time: '2026-11-28T12:00:00.000Z',
  author: { identifier: 'client-id', type: 'api' },
};

describe('the product event message', () => {
  it('reads back what was sent, with and without an author', () => {
    expect(decodeProductEventMessage(encodeProductEventMessage(message))).toEqual(message);
    const { author: _author, ...anonymous } = message;
    expect(decodeProductEventMessage(encodeProductEventMessage(anonymous))).toEqual(anonymous);
  });

  it.each([
    ['not JSON', 'x'],
    ['no PIM host', JSON.stringify({ ...message, pimHost: '' })],
    ['an unknown change', JSON.stringify({ ...message, change: 'moved' })],
    ['no product', JSON.stringify({ ...message, productUuid: 1 })],
    ['no event id', JSON.stringify({ ...message, eventId: undefined })],
    ['a bad time', JSON.stringify({ ...message, time: 'later' })],
  ])('refuses a body with %s', (_name, text) => {
    expect(() => decodeProductEventMessage(text)).toThrow(/product event message/);
  });
});

describe('deduplicationIdOf: the event id as an SQS FIFO deduplication id', () => {
  it('is the event id itself when SQS takes it', () => {
    expect(deduplicationIdOf('01890c2e-7a3b-7000-8000-000000000001')).toBe('01890c2e-7a3b-7000-8000-000000000001');
    expect(deduplicationIdOf('x'.repeat(128))).toBe('x'.repeat(128));
  });

  it('is a hash for an id SQS would refuse: longer than 128 characters, or with other characters', () => {
    for (const id of ['x'.repeat(129), 'événement', 'with space']) {
      const hashed = deduplicationIdOf(id);
      expect(hashed).toMatch(/^sha256-[0-9a-f]{64}$/);
      expect(deduplicationIdOf(id)).toBe(hashed);
    }
    expect(deduplicationIdOf('x'.repeat(129))).not.toBe(deduplicationIdOf('x'.repeat(130)));
  });
});
