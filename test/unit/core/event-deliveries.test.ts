import {
  EVENT_MAX_AGE_MS,
  isStale,
  parseProductEvent,
  parseSubscriptionNotification,
} from '../../../functions/core/event-deliveries';

const UUID = '1e40ea06-8f45-4b8c-9e1a-1b2c3d4e5f60';
const cloudEvent = (overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: '01890c2e-7a3b-7000-8000-000000000001',
  source: 'akeneo-event-platform',
  type: 'com.akeneo.pim.v1.product.updated',
  subject: 'f3b0a1f2-subscription',
  datacontenttype: 'application/json',
  time: '2026-11-28T12:00:00Z',
  data: { product: { uuid: UUID }, author: { identifier: 'julia-uuid', type: 'user' }, ...data },
  ...overrides,
});
const raw = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseProductEvent: a CloudEvent of the Event Platform, as delivered', () => {
  it.each([
    ['created', 'com.akeneo.pim.v1.product.created'],
    ['updated', 'com.akeneo.pim.v1.product.updated'],
    ['deleted', 'com.akeneo.pim.v1.product.deleted'],
  ])('reads a product %s event: its id, subscription, time, product and author', (change, type) => {
    expect(parseProductEvent(raw(cloudEvent({ type })))).toEqual({
      ok: true,
      event: {
        id: '01890c2e-7a3b-7000-8000-000000000001',
        type,
        subscriptionId: 'f3b0a1f2-subscription',
        time: new Date('2026-11-28T12:00:00Z'),
        product: { change, uuid: UUID, author: { identifier: 'julia-uuid', type: 'user' } },
      },
    });
  });

  it('lower-cases the product uuid, as Akeneo stores and searches it', () => {
    const parsed = parseProductEvent(raw(cloudEvent({}, { product: { uuid: UUID.toUpperCase() } })));
    expect(parsed.ok && parsed.event.product?.uuid).toBe(UUID);
  });

  it('reads an event without an author', () => {
    const parsed = parseProductEvent(raw(cloudEvent({}, { author: undefined })));
    expect(parsed.ok && parsed.event.product).toEqual({ change: 'updated', uuid: UUID });
  });

  it('reads a well-formed event of a type it does not export (no product change)', () => {
    const parsed = parseProductEvent(raw(cloudEvent({ type: 'com.akeneo.pim.v1.product-model.updated' })));
    expect(parsed.ok && parsed.event).toEqual(
      expect.objectContaining({ type: 'com.akeneo.pim.v1.product-model.updated' }),
    );
    expect(parsed.ok && parsed.event.product).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"id":'],
    ['not an object', '["id"]'],
    ['another CloudEvents version', cloudEvent({ specversion: '0.3' })],
    ['no id', cloudEvent({ id: undefined })],
    ['an empty id', cloudEvent({ id: '' })],
    ['an id over 1024 characters', cloudEvent({ id: 'x'.repeat(1025) })],
    ['no subject', cloudEvent({ subject: undefined })],
    ['no type', cloudEvent({ type: 7 })],
    ['no time', cloudEvent({ time: undefined })],
    ['a time that is not a date', cloudEvent({ time: 'yesterday' })],
    ['a product event without its uuid', cloudEvent({}, { product: {} })],
    ['a product uuid that is not a uuid', cloudEvent({}, { product: { uuid: '../../etc' } })],
    ['an author that is not an object', cloudEvent({}, { author: 'julia' })],
  ])('refuses %s as malformed', (_name, value) => {
    expect(parseProductEvent(raw(value))).toEqual({ ok: false, problem: expect.any(String) });
  });
});

describe('parseSubscriptionNotification: what the notification webhook receives', () => {
  const notification = (overrides: Record<string, unknown> = {}) => ({
    notification_type: 'subscription.revoked',
    timestamp: '2026-11-28T12:00:00Z',
    subscription_id: 'f3b0a1f2-subscription',
    subscriber_id: 'subscriber-1',
    reason: 'The app was disconnected from the PIM.',
    subject: 'https://my-pim.cloud.akeneo.com',
    ...overrides,
  });

  it('reads its type, subscription, subscriber, time, reason and subject', () => {
    expect(parseSubscriptionNotification(raw(notification()))).toEqual({
      ok: true,
      notification: {
        type: 'subscription.revoked',
        subscriptionId: 'f3b0a1f2-subscription',
        subscriberId: 'subscriber-1',
        timestamp: new Date('2026-11-28T12:00:00Z'),
        reason: 'The app was disconnected from the PIM.',
        subject: 'https://my-pim.cloud.akeneo.com',
      },
    });
  });

  it('keeps a reason free of control characters and at most 300 characters long', () => {
    const parsed = parseSubscriptionNotification(raw(notification({ reason: `line\none\u001b[2J${'x'.repeat(400)}` })));
    expect(parsed.ok && parsed.notification.reason).toMatch(/^line one\[2Jx+$/);
    expect(parsed.ok && parsed.notification.reason?.length).toBe(300);
  });

  it.each([
    ['not JSON', 'nope'],
    ['no type', notification({ notification_type: undefined })],
    ['no subscription id', notification({ subscription_id: '' })],
    ['no timestamp', notification({ timestamp: undefined })],
    ['a bad timestamp', notification({ timestamp: 'soon' })],
  ])('refuses %s as malformed', (_name, value) => {
    expect(parseSubscriptionNotification(raw(value))).toEqual({ ok: false, problem: expect.any(String) });
  });
});

describe('isStale: events older than the replay window are answered but not processed', () => {
  const now = new Date('2026-11-28T12:00:00Z');

  it('takes a day as the window: far beyond the last of Akeneo retries (+5, +10, +20 minutes)', () => {
    expect(EVENT_MAX_AGE_MS).toBe(24 * 60 * 60_000);
    expect(isStale(new Date(now.getTime() - 35 * 60_000), now)).toBe(false);
    expect(isStale(new Date(now.getTime() - EVENT_MAX_AGE_MS), now)).toBe(false);
    expect(isStale(new Date(now.getTime() - EVENT_MAX_AGE_MS - 1000), now)).toBe(true);
  });

  it('never calls an event from the future stale (clocks differ)', () => {
    expect(isStale(new Date(now.getTime() + 60_000), now)).toBe(false);
  });
});
