import {
  bits,
  buildProduct,
  catalogProductJson,
  generatedTraits,
  type Product,
  type ProductContent,
  productFields,
  Salt,
  toAkeneoDate,
  unit,
  uuidWithPrefix,
} from './product-generator';

export type { Product, ProductContent, ProductValue } from './product-generator';

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
 * whenever it is needed, and its uuid's first 32 bits grow with `i`, so the uuid order is the index order. Only what
 * changed is stored: touched products (their new `updated`), added products, written contents and deletions.
 *
 * A product is referred to by a number: `i` for a generated one, `baseCount + k` for the k-th added one (added by
 * the controls or created by a write). A deleted product keeps its number, so writing its uuid again revives it.
 */
export class ProductCatalog {
  private readonly step: number;
  /** Generated products' `updated` lie in the 30 days before the UTC day the sandbox started. */
  private readonly anchorSeconds: number;
  /** Generated products' `updated` since they were touched or written. */
  private readonly touched = new Map<number, number>();
  /** Generated products' `created` since they were deleted and created again. */
  private readonly recreated = new Map<number, number>();
  /** Contents as written through the API, for any product. */
  private readonly written = new Map<number, ProductContent>();
  private readonly deleted = new Set<number>();
  private readonly added: AddedProduct[] = [];
  /** Indexes into `added`, sorted by uuid. */
  private readonly addedOrder: number[] = [];
  private readonly addedByUuid = new Map<string, number>();
  private touchCalls = 0;
  private deleteCalls = 0;

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

  /** Products that exist (deleted ones excluded). */
  get size(): number {
    return this.baseCount + this.added.length - this.deleted.size;
  }

  /** Every product number ever given, deleted ones included. */
  private get refCount(): number {
    return this.baseCount + this.added.length;
  }

  private prefixOf(index: number): number {
    return Math.floor((index + 0.5 * unit(index, Salt.jitter)) * this.step);
  }

  private addedOf(ref: number): AddedProduct {
    return this.added[ref - this.baseCount] as AddedProduct;
  }

  uuidOf(ref: number): string {
    if (ref >= this.baseCount) return this.addedOf(ref).uuid;
    return uuidWithPrefix(this.prefixOf(ref), ref, Salt.uuid);
  }

  /** `updated` in epoch seconds. */
  updatedOf(ref: number): number {
    if (ref >= this.baseCount) return this.addedOf(ref).updatedSeconds;
    return this.touched.get(ref) ?? this.baseTimes(ref).updated;
  }

  /** `created` in epoch seconds. */
  createdOf(ref: number): number {
    if (ref >= this.baseCount) return this.addedOf(ref).createdSeconds;
    return this.recreated.get(ref) ?? this.baseTimes(ref).created;
  }

  private baseTimes(index: number): { created: number; updated: number } {
    const updated = this.anchorSeconds - 1 - (bits(index, Salt.time, 0) % (30 * DAY_SECONDS));
    return { created: updated - (bits(index, Salt.time, 1) % (90 * DAY_SECONDS)), updated };
  }

  /** The product's family, read without building the product (a catalog's selection reads it for every product). */
  familyOf(ref: number): string | null {
    const written = this.written.get(ref);
    if (written) return written.family;
    return this.traitsOf(ref).family.code;
  }

  categoriesOf(ref: number): readonly string[] {
    const written = this.written.get(ref);
    if (written) return written.categories;
    return [this.traitsOf(ref).family.category];
  }

  isEnabled(ref: number): boolean {
    return this.written.get(ref)?.enabled ?? this.traitsOf(ref).enabled;
  }

  /** The generated traits of a product never written: the same draws as product() makes. */
  private traitsOf(ref: number) {
    if (ref >= this.baseCount) return generatedTraits(this.addedOf(ref).number, Salt.added + 1);
    return generatedTraits(ref, Salt.fields);
  }

  product(ref: number): Product {
    const written = this.written.get(ref);
    if (written) {
      const { associations, quantified_associations, ...head } = structuredClone(written);
      const created = toAkeneoDate(this.createdOf(ref));
      return { ...head, created, updated: toAkeneoDate(this.updatedOf(ref)), associations, quantified_associations };
    }
    if (ref >= this.baseCount) {
      const added = this.addedOf(ref);
      const fields = productFields(added.number, Salt.added + 1, 'NEW', added.number);
      return buildProduct(added.uuid, fields, added.createdSeconds, added.updatedSeconds);
    }
    const fields = productFields(ref, Salt.fields, '', ref + 1);
    return buildProduct(this.uuidOf(ref), fields, this.createdOf(ref), this.updatedOf(ref));
  }

  /**
   * The product's JSON as a catalog serves it: Akeneo's whitelist of the standard format, without the identifier.
   * Written straight from the generated fields unless the product was written through the API.
   */
  catalogItemJson(ref: number): string {
    if (this.written.has(ref)) {
      const { identifier: _identifier, ...item } = this.product(ref);
      return JSON.stringify(item);
    }
    if (ref >= this.baseCount) {
      const added = this.addedOf(ref);
      const fields = productFields(added.number, Salt.added + 1, 'NEW', added.number);
      return catalogProductJson(added.uuid, fields, added.createdSeconds, added.updatedSeconds);
    }
    const fields = productFields(ref, Salt.fields, '', ref + 1);
    return catalogProductJson(this.uuidOf(ref), fields, this.createdOf(ref), this.updatedOf(ref));
  }

  /** What a write starts from: the product without its dates, a copy the caller may change. */
  contentOf(ref: number): ProductContent {
    const { created: _created, updated: _updated, ...content } = this.product(ref);
    return content;
  }

  /** The existing (not deleted) product with this uuid, in any case. */
  find(uuid: string): number | undefined {
    const ref = this.locate(uuid);
    return ref === undefined || this.deleted.has(ref) ? undefined : ref;
  }

  /** The product with exactly this uuid: the PIM's index holds lowercase uuids and compares search terms as they are. */
  findExact(uuid: string): number | undefined {
    return uuid === uuid.toLowerCase() ? this.find(uuid) : undefined;
  }

  /** The identifier of the product with this uuid, even one just deleted (for the Event Platform's events). */
  identifierOf(uuid: string): string | null | undefined {
    const ref = this.locate(uuid);
    return ref === undefined ? undefined : this.product(ref).identifier;
  }

  /** The number ever given to this uuid, even if that product was deleted since. */
  private locate(uuid: string): number | undefined {
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

  /** Visits existing products in uuid order, starting after `after` (exclusive), until `visit` returns false. */
  scan(after: string | undefined, visit: (ref: number) => boolean): void {
    let base = after === undefined ? 0 : this.firstBaseAfter(after);
    let next = after === undefined ? 0 : this.firstAddedAfter(after);
    const { baseCount, added, addedOrder, deleted } = this;
    const skipDeleted = deleted.size > 0;
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
      if (skipDeleted && deleted.has(ref)) continue;
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
   * `count` existing products evenly spread over the catalog (in creation order), starting `call` products further
   * (modulo the stride), so successive calls pick different products.
   */
  private spread(count: number, call: number): number[] {
    const live = this.deleted.size === 0 ? undefined : this.liveRefs();
    const total = live?.length ?? this.refCount;
    const picked = Math.min(Math.max(0, Math.floor(count)), total);
    if (picked === 0) return [];
    const stride = Math.floor(total / picked);
    const start = call % stride;
    const refs: number[] = [];
    for (let position = 0; position < picked; position += 1) {
      const index = (start + position * stride) % total;
      refs.push(live ? (live[index] as number) : index);
    }
    return refs;
  }

  private liveRefs(): number[] {
    const refs: number[] = [];
    for (let ref = 0; ref < this.refCount; ref += 1) if (!this.deleted.has(ref)) refs.push(ref);
    return refs;
  }

  private setUpdated(ref: number, nowSeconds: number): void {
    if (ref < this.baseCount) this.touched.set(ref, nowSeconds);
    else this.addedOf(ref).updatedSeconds = nowSeconds;
  }

  /** Sets `updated` on `count` products evenly spread over the catalog; successive calls touch different products. */
  touch(count: number, nowSeconds: number): string[] {
    const refs = this.spread(count, this.touchCalls);
    if (refs.length > 0) this.touchCalls += 1;
    for (const ref of refs) this.setUpdated(ref, nowSeconds);
    return refs.map((ref) => this.uuidOf(ref));
  }

  /** Deletes `count` products evenly spread over the catalog, as a PIM user would; returns their uuids. */
  remove(count: number): string[] {
    const refs = this.spread(count, this.deleteCalls);
    if (refs.length > 0) this.deleteCalls += 1;
    for (const ref of refs) this.deleted.add(ref);
    return refs.map((ref) => this.uuidOf(ref));
  }

  /** Appends products created and updated now, with random-looking (deterministic) v4 uuids. */
  add(count: number, nowSeconds: number): string[] {
    const uuids: string[] = [];
    for (let created = 0; created < Math.max(0, Math.floor(count)); created += 1) {
      const number = this.added.length + 1;
      let uuid = '';
      let prefix = 0;
      for (let attempt = 0; uuid === '' || this.locate(uuid) !== undefined; attempt += 1) {
        prefix = bits(number, Salt.added, 3 + attempt);
        uuid = uuidWithPrefix(prefix, number, Salt.added + attempt + 2);
      }
      this.append(uuid, nowSeconds);
      uuids.push(uuid);
    }
    return uuids;
  }

  private append(uuid: string, nowSeconds: number): number {
    const position = this.firstAddedAfter(uuid);
    const prefix = Number.parseInt(uuid.slice(0, 8), 16);
    const number = this.added.length + 1;
    this.added.push({ uuid, prefix, number, createdSeconds: nowSeconds, updatedSeconds: nowSeconds });
    this.addedOrder.splice(position, 0, this.added.length - 1);
    this.addedByUuid.set(uuid, this.added.length - 1);
    return this.baseCount + this.added.length - 1;
  }

  /** Stores what a write made of an existing product; its `updated` moves to now. */
  update(ref: number, content: ProductContent, nowSeconds: number): void {
    this.written.set(ref, structuredClone(content));
    this.setUpdated(ref, nowSeconds);
  }

  /**
   * Creates the product of a write whose uuid no product has: created and updated now. A deleted product's uuid
   * brings that number back with the new content.
   */
  create(content: ProductContent, nowSeconds: number): number {
    const uuid = content.uuid.toLowerCase();
    let ref = this.locate(uuid);
    if (ref === undefined) ref = this.append(uuid, nowSeconds);
    else if (!this.deleted.delete(ref)) throw new Error(`The product ${uuid} already exists`);
    else if (ref < this.baseCount) this.recreated.set(ref, nowSeconds);
    else this.addedOf(ref).createdSeconds = nowSeconds;
    this.update(ref, { ...content, uuid }, nowSeconds);
    return ref;
  }
}
