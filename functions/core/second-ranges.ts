/**
 * A first sync split into disjoint parts of the catalog by a date in whole seconds, walked side by side: `created` for
 * every product (it never changes), `updated` within a run's window for a catalog's products (a product updated during
 * the run leaves every part at once: the window ends at the run's start). Either way a product belongs to exactly one
 * part for the whole walk.
 */

/** Products dated in these whole seconds, both ends included: `from` absent opens it at the start, `to` at the end. */
export interface SecondRange {
  readonly from?: number;
  readonly to?: number;
}

/** Products dated at or before `second` (epoch seconds): what one count probe tells. */
export interface SecondCount {
  readonly second: number;
  readonly count: number;
}

export interface SplitOptions {
  /** How many parts at most: Akeneo serves 4 calls at once per connection. */
  readonly parts: number;
  /** A boundary this close to its share of the catalog (in products) is good enough. */
  readonly tolerance: number;
}

/**
 * The ranges cut right after each boundary second: (…, b₀], [b₀+1, b₁], …, [bₙ+1, …). Every second falls in exactly
 * one of them, whatever the boundaries (sorted and deduplicated here); no boundary: one range, the whole catalog.
 */
export function secondRanges(boundaries: readonly number[]): SecondRange[] {
  const cuts = [...new Set(boundaries.map((second) => Math.floor(second)))].sort((a, b) => a - b);
  if (cuts.length === 0) return [{}];
  const ranges: SecondRange[] = [{ to: cuts[0] as number }];
  for (let index = 1; index < cuts.length; index += 1) {
    ranges.push({ from: (cuts[index - 1] as number) + 1, to: cuts[index] as number });
  }
  ranges.push({ from: (cuts.at(-1) as number) + 1 });
  return ranges;
}

/** Whether a product dated `second` belongs to `range`. */
export function inSecondRange(range: SecondRange, second: number): boolean {
  return (range.from === undefined || second >= range.from) && (range.to === undefined || second <= range.to);
}

/**
 * Chooses where to cut a catalog of `total` products into `parts` of similar counts. It starts from a sample of
 * dates in seconds (the products of a search_after page: in uuid order, so a random draw of the catalog) and refines
 * each cut with count probes: `nextProbes()` says which seconds to count, `record()` takes the answers, and
 * `boundaries()` the best cuts known. Wrong guesses only cost balance, never a product: any boundaries make ranges
 * that cover every second once.
 */
export class SecondSplit {
  private readonly sample: number[];
  private readonly targets: number[];
  private readonly counts = new Map<number, number>();

  constructor(
    private readonly total: number,
    sample: readonly number[],
    private readonly options: SplitOptions,
  ) {
    this.sample = [...sample].sort((a, b) => a - b);
    const parts = Math.max(1, Math.floor(options.parts));
    this.targets = Array.from({ length: parts - 1 }, (_, index) => ((index + 1) * total) / parts);
  }

  /** The seconds worth counting next, one per cut not yet good enough; none once every cut is settled. */
  nextProbes(): number[] {
    if (this.sample.length === 0 || this.total === 0) return [];
    const probes = new Set<number>();
    for (const target of this.targets) {
      const guess = this.guess(target);
      if (guess !== undefined && !this.counts.has(guess)) probes.add(guess);
    }
    return [...probes].sort((a, b) => a - b);
  }

  record(probe: SecondCount): void {
    this.counts.set(Math.floor(probe.second), probe.count);
  }

  /** For each cut, the counted second nearest its share (the sample's guess before any count), without repeats. */
  boundaries(): number[] {
    if (this.sample.length === 0 || this.total === 0) return [];
    const cuts = new Set<number>();
    for (const target of this.targets) {
      const nearest = this.nearestCounted(target);
      if (nearest === undefined) cuts.add(this.sampleSecondFor(target));
      // A cut before every product, or after them all, would only make an empty range.
      else if (nearest.count > 0 && nearest.count < this.total) cuts.add(nearest.second);
    }
    return [...cuts].sort((a, b) => a - b);
  }

  private guess(target: number): number | undefined {
    const { below, above } = this.bracket(target);
    const near = (probe: SecondCount | undefined) =>
      probe !== undefined && Math.abs(probe.count - target) <= this.options.tolerance;
    if (near(below) || near(above)) return undefined;
    if (below !== undefined && above !== undefined) {
      if (above.second - below.second <= 1) return undefined;
      // A secant step: dates between two counted seconds are taken as evenly spread.
      const share = (target - below.count) / (above.count - below.count);
      const step = Math.round(share * (above.second - below.second));
      return Math.min(above.second - 1, Math.max(below.second + 1, below.second + step));
    }
    if (below === undefined && above === undefined) return this.sampleSecondFor(target);
    // One side only: the sample's estimate, shifted by how far it was off at the counted second.
    const known = (below ?? above) as SecondCount;
    const missedBy = known.count - this.sampleEstimate(known.second);
    const corrected = this.sampleSecondFor(target - missedBy);
    if (below !== undefined) return corrected > below.second ? corrected : this.beyond(below.second, 1);
    return corrected < known.second ? corrected : this.beyond(known.second, -1);
  }

  /** A second past `second` in `direction` when the sample has nothing better: its next point, or a day further. */
  private beyond(second: number, direction: 1 | -1): number {
    const next =
      direction === 1 ? this.sample.find((s) => s > second) : [...this.sample].reverse().find((s) => s < second);
    return next ?? second + direction * 86_400;
  }

  private bracket(target: number): { below?: SecondCount; above?: SecondCount } {
    let below: SecondCount | undefined;
    let above: SecondCount | undefined;
    for (const [second, count] of this.counts) {
      if (count < target && (below === undefined || second > below.second)) below = { second, count };
      if (count >= target && (above === undefined || second < above.second)) above = { second, count };
    }
    return { ...(below ? { below } : {}), ...(above ? { above } : {}) };
  }

  private nearestCounted(target: number): SecondCount | undefined {
    let nearest: SecondCount | undefined;
    for (const [second, count] of this.counts) {
      const closer = nearest === undefined || Math.abs(count - target) < Math.abs(nearest.count - target);
      const asClose = nearest !== undefined && Math.abs(count - target) === Math.abs(nearest.count - target);
      if (closer || (asClose && second < (nearest as SecondCount).second)) nearest = { second, count };
    }
    return nearest;
  }

  /** The sample's estimate of the products dated at or before `second`. */
  private sampleEstimate(second: number): number {
    let atOrBefore = 0;
    for (const s of this.sample) if (s <= second) atOrBefore += 1;
    return (atOrBefore / this.sample.length) * this.total;
  }

  /** The sampled second at which the sample estimates `count` products dated so far. */
  private sampleSecondFor(count: number): number {
    const last = this.sample.length - 1;
    const index = Math.min(last, Math.max(0, Math.ceil((count / this.total) * this.sample.length) - 1));
    return this.sample[index] as number;
  }
}

/** A product's date field (`2024-01-01T10:00:00+00:00`) in epoch seconds; undefined when it has none. */
export function secondOf(item: unknown, field: 'created' | 'updated'): number | undefined {
  const date = (item as { readonly [key: string]: unknown } | null)?.[field];
  const ms = typeof date === 'string' ? Date.parse(date) : Number.NaN;
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}
