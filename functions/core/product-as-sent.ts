/**
 * A product of a page kept as its JSON text (one line: `JSON.stringify` of what the PIM sent) instead of as objects,
 * with the one field the sync reads of it. A page of 1,000 products parsed whole lives until its part is made, long
 * enough for the garbage collector to move every object into the old generation; parsed one by one and written back
 * at once, each product's objects die young. A sink writes `json` as the product's line; anything else that
 * serializes it gets the product back (`toJSON`).
 */
export class ProductAsSent {
  constructor(
    readonly json: string,
    /** The product's `updated`, as sent: the date the sync's windows, re-reads and ranges go by. */
    readonly updated: unknown,
  ) {}

  static of(product: unknown): ProductAsSent {
    const updated = (product as { readonly updated?: unknown } | null)?.updated;
    return new ProductAsSent(JSON.stringify(product), updated);
  }

  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}
