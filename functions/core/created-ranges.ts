import { type SecondRange, secondOf } from './second-ranges';

/**
 * The `created` ranges of a first sync of every product (see `second-ranges.ts`) as Akeneo's product search filter
 * takes them. Akeneo compares `created` to the second (its filter formats the value as ISO 8601 without fractions:
 * `<` is `lt`, `>` is `gt`, `BETWEEN` is `gte`/`lte`).
 */

/** One `created` condition of Akeneo's search filter. */
export interface CreatedCondition {
  readonly operator: '<' | '>' | 'BETWEEN';
  readonly value: string | readonly [string, string];
}

/** The range as Akeneo's `created` conditions; none for the whole catalog. */
export function createdConditions(range: SecondRange): CreatedCondition[] {
  const { from, to } = range;
  if (from !== undefined && to !== undefined) {
    return [{ operator: 'BETWEEN', value: [akeneoSecond(from), akeneoSecond(to)] }];
  }
  if (to !== undefined) return [{ operator: '<', value: akeneoSecond(to + 1) }];
  if (from !== undefined) return [{ operator: '>', value: akeneoSecond(from - 1) }];
  return [];
}

/** Epoch seconds as Akeneo's filter date, `YYYY-MM-DD hh:mm:ss` in UTC. */
export function akeneoSecond(second: number): string {
  return new Date(second * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** A product's `created` (`2024-01-01T10:00:00+00:00`) in epoch seconds; undefined when it has none. */
export function createdSecondOf(item: unknown): number | undefined {
  return secondOf(item, 'created');
}
