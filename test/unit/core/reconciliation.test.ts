import {
  canonicalUuid,
  isReconcileDue,
  ListingOrder,
  MAX_COUNT_RUNS,
  nextReconcileDue,
  partCount,
  partCounts,
  sameSource,
  totalCount,
  withPart,
} from '../../../functions/core/reconciliation';
import { ListingOrderError, PaginationLimitError } from '../../../functions/core/sync-errors';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('reconciliation, the pure parts', () => {
  it('reads a UUID in the case the PIM sorts it by, and nothing else as one', () => {
    expect(canonicalUuid('0A1B2C3D-0000-4000-8000-00000000000F')).toBe('0a1b2c3d-0000-4000-8000-00000000000f');
    expect(canonicalUuid('sku-1')).toBeUndefined();
    expect(canonicalUuid(7)).toBeUndefined();
  });

  it('accepts a listing in strictly ascending UUID order, from where a checkpoint left it', () => {
    const order = new ListingOrder('pim.example.com', uuid(1));
    order.accept(uuid(2));
    order.accept(uuid(10));
    expect(order.lastUuid).toBe(uuid(10));
  });

  it.each([
    ['a repeat', uuid(2)],
    ['a step back', uuid(1)],
  ])('stops a listing with %s rather than report products as deleted', (_name, next) => {
    const order = new ListingOrder('pim.example.com', undefined);
    order.accept(uuid(2));
    expect(() => order.accept(next)).toThrow(ListingOrderError);
  });

  it('counts parts run-length encoded, and refuses to grow without bound', () => {
    let runs = withPart([], 10, 'p');
    runs = withPart(runs, 10, 'p');
    runs = withPart(runs, 3, 'p');
    expect(runs).toEqual([
      [10, 2],
      [3, 1],
    ]);
    expect(partCount(runs)).toBe(3);
    expect(totalCount(runs)).toBe(23);
    expect(partCounts(runs)).toEqual([10, 10, 3]);
    const many = Array.from({ length: MAX_COUNT_RUNS }, (_, index) => [index + 1, 1] as const);
    expect(() => withPart(many, 0, 'p')).toThrow(PaginationLimitError);
  });

  it('makes the next pass due one period after this one started, and none due before a first sync', () => {
    expect(nextReconcileDue('2026-11-28T12:00:00.000Z', 24)).toBe('2026-11-29T12:00:00.000Z');
    expect(isReconcileDue('2026-11-29T12:00:00.000Z', new Date('2026-11-29T11:59:59.000Z'))).toBe(false);
    expect(isReconcileDue('2026-11-29T12:00:00.000Z', new Date('2026-11-29T12:00:00.000Z'))).toBe(true);
    expect(isReconcileDue(undefined, new Date())).toBe(false);
  });

  it('compares a snapshot only with one of the same source', () => {
    expect(sameSource({ kind: 'products' }, { kind: 'products' })).toBe(true);
    expect(sameSource({ kind: 'catalog', catalogId: 'a' }, { kind: 'catalog', catalogId: 'a' })).toBe(true);
    expect(sameSource({ kind: 'catalog', catalogId: 'a' }, { kind: 'catalog', catalogId: 'b' })).toBe(false);
    expect(sameSource({ kind: 'products' }, { kind: 'catalog', catalogId: 'a' })).toBe(false);
  });
});
