import fc from 'fast-check';
import { akeneoSecond, createdConditions, createdSecondOf } from '../../../functions/core/created-ranges';
import { inSecondRange, SecondSplit, secondOf, secondRanges } from '../../../functions/core/second-ranges';

const JAN_2024 = Date.UTC(2024, 0, 1) / 1000;
const YEAR = 365 * 86_400;

/** Akeneo's `created` filter as the PIM evaluates it (DateTimeFilter: lt, gt, gte/lte on whole seconds). */
function matches(conditions: ReturnType<typeof createdConditions>, second: number): boolean {
  const at = (value: string) => Date.parse(`${value.replace(' ', 'T')}Z`) / 1000;
  return conditions.every(({ operator, value }) => {
    if (operator === '<') return second < at(value as string);
    if (operator === '>') return second > at(value as string);
    const [from, to] = value as readonly [string, string];
    return second >= at(from) && second <= at(to);
  });
}

/** Plans a split of `created` seconds the way the worker does: sample, then rounds of count probes. */
function plan(created: readonly number[], sample: readonly number[], rounds: number) {
  const split = new SecondSplit(created.length, sample, { parts: 4, tolerance: created.length / 50 });
  const probed: number[][] = [];
  for (let round = 0; round < rounds; round += 1) {
    const probes = split.nextProbes();
    if (probes.length === 0) break;
    probed.push(probes);
    for (const second of probes) split.record({ second, count: created.filter((c) => c <= second).length });
  }
  return { boundaries: split.boundaries(), probed, settled: split.nextProbes().length === 0 };
}

describe('created ranges', () => {
  it('put every second in exactly one range, whatever the boundaries, and Akeneo filters agree', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: JAN_2024, max: JAN_2024 + YEAR }), { maxLength: 5 }),
        fc.array(fc.integer({ min: JAN_2024 - 10, max: JAN_2024 + YEAR + 10 }), { minLength: 1, maxLength: 30 }),
        (boundaries, seconds) => {
          const ranges = secondRanges(boundaries);
          expect(ranges[0]?.from).toBeUndefined();
          expect(ranges.at(-1)?.to).toBeUndefined();
          // Each boundary's own second stays in the range before it; the next second begins the next range.
          for (const second of [...seconds, ...boundaries, ...boundaries.map((b) => b + 1)]) {
            expect(ranges.filter((range) => inSecondRange(range, second))).toHaveLength(1);
            expect(ranges.filter((range) => matches(createdConditions(range), second))).toHaveLength(1);
          }
        },
      ),
    );
  });

  it('writes the first range as <, the middle ones as BETWEEN (inclusive), the last as >', () => {
    const ranges = secondRanges([JAN_2024 + 59, JAN_2024 + 119]);

    expect(ranges.map(createdConditions)).toEqual([
      [{ operator: '<', value: '2024-01-01 00:01:00' }],
      [{ operator: 'BETWEEN', value: ['2024-01-01 00:01:00', '2024-01-01 00:01:59'] }],
      [{ operator: '>', value: '2024-01-01 00:01:59' }],
    ]);
    expect(createdConditions({})).toEqual([]);
    expect(akeneoSecond(JAN_2024)).toBe('2024-01-01 00:00:00');
  });

  it("reads a product's created second, and nothing from an item without one", () => {
    expect(createdSecondOf({ created: '2024-01-01T00:00:01+00:00' })).toBe(JAN_2024 + 1);
    expect(createdSecondOf({ created: 'not a date' })).toBeUndefined();
    expect(createdSecondOf(null)).toBeUndefined();
  });
});

describe('secondOf', () => {
  it("reads a product's created or updated second, and nothing from an item without it", () => {
    const product = { created: '2024-01-01T10:00:00+00:00', updated: '2024-01-02T10:00:01+02:00' };

    expect(secondOf(product, 'created')).toBe(Date.UTC(2024, 0, 1, 10) / 1000);
    expect(secondOf(product, 'updated')).toBe(Date.UTC(2024, 0, 2, 8, 0, 1) / 1000);
    expect(secondOf({ created: 'yesterday' }, 'created')).toBeUndefined();
    expect(secondOf({}, 'updated')).toBeUndefined();
    expect(secondOf(null, 'updated')).toBeUndefined();
  });
});

describe('SecondSplit', () => {
  it('never probes a second twice, at most one probe per cut per round, whole seconds only', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: JAN_2024, max: JAN_2024 + YEAR }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 100 }),
        (created, sampleSize) => {
          const { probed } = plan(created, created.slice(0, sampleSize), 12);
          const all = probed.flat();
          expect(new Set(all).size).toBe(all.length);
          for (const round of probed) expect(round.length).toBeLessThanOrEqual(3);
          expect(all.every(Number.isInteger)).toBe(true);
        },
      ),
    );
  });

  it('cuts a catalog into quarters of similar counts after a few rounds of probes', () => {
    // Creation dates skewed towards the end of the year (a catalog that grew), uuid order unrelated to them.
    const created = Array.from({ length: 20_000 }, (_, index) => {
      const draw = ((index * 2_654_435_761) % 4_294_967_296) / 4_294_967_296;
      return JAN_2024 + Math.floor(Math.sqrt(draw) * YEAR);
    });
    const { boundaries } = plan(created, created.slice(0, 100), 4);

    const sizes = secondRanges(boundaries).map(
      (range) => created.filter((second) => inSecondRange(range, second)).length,
    );
    expect(sizes).toHaveLength(4);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(20_000);
    for (const size of sizes) expect(Math.abs(size - 5_000)).toBeLessThanOrEqual(400);
  });

  it('settles when most products share one second: that second stays whole in one range', () => {
    const created = [...Array.from({ length: 900 }, () => JAN_2024 + 10), JAN_2024, JAN_2024 + 20];
    const { boundaries, settled } = plan(created, [JAN_2024, JAN_2024 + 10, JAN_2024 + 20], 6);

    expect(settled).toBe(true);
    const ranges = secondRanges(boundaries);
    const crowded = ranges.find((range) => inSecondRange(range, JAN_2024 + 10));
    expect(
      created.filter((second) => crowded !== undefined && inSecondRange(crowded, second)).length,
    ).toBeGreaterThanOrEqual(900);
  });

  it('plans nothing from an empty sample or an empty catalog', () => {
    expect(new SecondSplit(100, [], { parts: 4, tolerance: 1 }).nextProbes()).toEqual([]);
    expect(new SecondSplit(0, [JAN_2024], { parts: 4, tolerance: 1 }).boundaries()).toEqual([]);
  });
});
