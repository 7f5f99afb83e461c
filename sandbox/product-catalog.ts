import { bits, buildProduct, type Product, productFields, Salt, unit, uuidWithPrefix } from './product-generator';

export type { Product, ProductValue } from './product-generator';

const DAY_SECONDS = 24 * 60 * 60;
const UINT32_RANGE = 2 ** 32;
/** Generated uuids keep the index order only while two neighbours are at least 2 prefixes apart. */
export const MAX_PRODUCT_COUNT = 10_000_000;

interface AddedProduct {
  uuid: string;
  prefix: number;
  number: number;
  createdSeconds: number;
  updatedSeconds: number;
}

/**
 * A deterministic catalog, generated lazily: product `i` of the first `baseCount` is computed from the seed and `i`
 * whenever it is needed, and its uuid's first 32 bits grow with `i`, so the uuid order is the index order. Only
 * touched products (their new `updated`) and added products are stored.
 *
 * A product is referred to by a number: `i` for a generated one, `baseCount + k` for the k-th added one.
 */
export class ProductCatalog {
  private readonly step: number;
  /** Generated products' `updated` lie in the 30 days before the UTC day the sandbox started. */
  private readonly anchorSeconds: number;
  private readonly touched = new Map<number, number>();
  private readonly added: AddedProduct[] = [];
  /** Indexes into `added`, sorted by uuid. */
  private readonly addedOrder: number[] = [];
  private readonly addedByUuid = new Map<string, number>();
  private touchCalls = 0;

  constructor(
    readonly baseCount: number,
    startSeconds: number,
  ) {
    if (!Number.isInteger(baseCount) || baseCount < 0 || baseCount > MAX_PRODUCT_COUNT) {
      throw new Error(`The sandbox product count must be an integer from 0 to ${MAX_PRODUCT_COUNT}, got ${baseCount}`);
    }
    this.step = UINT32_RANGE / Math.max(baseCount, 1);
    this.anchorSeconds = Math.floor(startSeconds / DAY_SECONDS) * DAY_SECONDS;
  }

  get size(): number {
    return this.baseCount + this.added.length;
  }

  private prefixOf(index: number): number {
    return Math.floor((index + 0.5 * unit(index, Salt.jitter)) * this.step);
  }

  uuidOf(ref: number): string {
    if (ref >= this.baseCount) return (this.added[ref - this.baseCount] as AddedProduct).uuid;
    return uuidWithPrefix(this.prefixOf(ref), ref, Salt.uuid);
  }

  /** `updated` in epoch seconds. */
  updatedOf(ref: number): number {
    if (ref >= this.baseCount) return (this.added[ref - this.baseCount] as AddedProduct).updatedSeconds;
    return this.touched.get(ref) ?? this.baseTimes(ref).updated;
  }

  /** `created` in epoch seconds. */
  createdOf(ref: number): number {
    if (ref >= this.baseCount) return (this.added[ref - this.baseCount] as AddedProduct).createdSeconds;
    return this.baseTimes(ref).created;
  }

  private baseTimes(index: number): { created: number; updated: number } {
    const updated = this.anchorSeconds - 1 - (bits(index, Salt.time, 0) % (30 * DAY_SECONDS));
    return { created: updated - (bits(index, Salt.time, 1) % (90 * DAY_SECONDS)), updated };
  }

  product(ref: number): Product {
    if (ref >= this.baseCount) {
      const added = this.added[ref - this.baseCount] as AddedProduct;
      const fields = productFields(added.number, Salt.added + 1, 'NEW', added.number);
      return buildProduct(added.uuid, fields, added.createdSeconds, added.updatedSeconds);
    }
    const fields = productFields(ref, Salt.fields, '', ref + 1);
    const times = this.baseTimes(ref);
    return buildProduct(this.uuidOf(ref), fields, times.created, this.touched.get(ref) ?? times.updated);
  }

  find(uuid: string): number | undefined {
    const normalized = uuid.toLowerCase();
    const added = this.addedByUuid.get(normalized);
    if (added !== undefined) return this.baseCount + added;
    const prefix = Number.parseInt(normalized.slice(0, 8), 16);
    if (Number.isNaN(prefix) || this.baseCount === 0) return undefined;
    const guess = Math.min(this.baseCount - 1, Math.floor(prefix / this.step));
    for (const index of [guess - 1, guess, guess + 1]) {
      if (index >= 0 && index < this.baseCount && this.uuidOf(index) === normalized) return index;
    }
    return undefined;
  }

  /** The product with exactly this uuid: the PIM's index holds lowercase uuids and compares search terms as they are. */
  findExact(uuid: string): number | undefined {
    return uuid === uuid.toLowerCase() ? this.find(uuid) : undefined;
  }

  /** Visits products in uuid order, starting after `after` (exclusive), until `visit` returns false. */
  scan(after: string | undefined, visit: (ref: number) => boolean): void {
    let base = after === undefined ? 0 : this.firstBaseAfter(after);
    let next = after === undefined ? 0 : this.firstAddedAfter(after);
    const { baseCount, added, addedOrder } = this;
    while (base < baseCount || next < addedOrder.length) {
      let ref: number;
      const candidate = next < addedOrder.length ? (added[addedOrder[next] as number] as AddedProduct) : undefined;
      if (!candidate) ref = base++;
      else if (base >= baseCount) ref = baseCount + (addedOrder[next++] as number);
      else {
        const prefix = this.prefixOf(base);
        const baseFirst = prefix === candidate.prefix ? this.uuidOf(base) < candidate.uuid : prefix < candidate.prefix;
        ref = baseFirst ? base++ : baseCount + (addedOrder[next++] as number);
      }
      if (!visit(ref)) return;
    }
  }

  private firstBaseAfter(after: string): number {
    let low = 0;
    let high = this.baseCount;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.uuidOf(middle) > after) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  private firstAddedAfter(after: string): number {
    let low = 0;
    let high = this.addedOrder.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.added[this.addedOrder[middle] as number] as AddedProduct).uuid > after) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /**
   * Sets `updated` on `count` products evenly spread over the catalog (in creation order). Each call starts one
   * product further, so successive calls touch different products.
   */
  touch(count: number, nowSeconds: number): string[] {
    const total = this.size;
    const touchedCount = Math.min(Math.max(0, Math.floor(count)), total);
    if (touchedCount === 0) return [];
    const stride = Math.floor(total / touchedCount);
    const start = this.touchCalls % stride;
    this.touchCalls += 1;
    const uuids: string[] = [];
    for (let position = 0; position < touchedCount; position += 1) {
      const ref = (start + position * stride) % total;
      if (ref < this.baseCount) this.touched.set(ref, nowSeconds);
      else (this.added[ref - this.baseCount] as AddedProduct).updatedSeconds = nowSeconds;
      uuids.push(this.uuidOf(ref));
    }
    return uuids;
  }

  /** Appends products created and updated now, with random-looking (deterministic) v4 uuids. */
  add(count: number, nowSeconds: number): string[] {
    const uuids: string[] = [];
    for (let created = 0; created < Math.max(0, Math.floor(count)); created += 1) {
      const number = this.added.length + 1;
      let uuid = '';
      let prefix = 0;
      for (let attempt = 0; uuid === '' || this.find(uuid) !== undefined; attempt += 1) {
        prefix = bits(number, Salt.added, 3 + attempt);
        uuid = uuidWithPrefix(prefix, number, Salt.added + attempt + 2);
      }
      const position = this.firstAddedAfter(uuid);
      this.added.push({ uuid, prefix, number, createdSeconds: nowSeconds, updatedSeconds: nowSeconds });
      this.addedOrder.splice(position, 0, this.added.length - 1);
      this.addedByUuid.set(uuid, this.added.length - 1);
      uuids.push(uuid);
    }
    return uuids;
  }
}
