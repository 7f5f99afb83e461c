/**
 * The worked example's rule (functions/name-with-sku.ts): each product's English name ends with its SKU in brackets,
 * `Black cotton t-shirt (TSHI-00042)`, so the storefront's search and the support team find a product by either. The
 * name written depends only on the product's own name and SKU, and a name that already ends so is left alone: a
 * second run over the same products writes nothing.
 */

/** The locale of the name the rule reads and writes. */
export const NAME_LOCALE = 'en_US';

/** The name with the SKU at its end, once. */
export function nameWithSku(name: string, sku: string): string {
  const suffix = ` (${sku})`;
  return name.endsWith(suffix) ? name : `${name}${suffix}`;
}

/** A line of Akeneo's collection PATCH that sets only the English name. */
export type NameLine = {
  readonly uuid: string;
  readonly values: { readonly name: readonly [{ locale: string; scope: null; data: string }] };
};

/**
 * The line to write for a product as the products-uuid API gives it, or undefined when there is nothing to write: it
 * has no uuid, no SKU or no English name, or the name already ends with its SKU.
 */
export function nameWithSkuLine(product: unknown): NameLine | undefined {
  if (!isRecord(product) || typeof product.uuid !== 'string') return undefined;
  const values = isRecord(product.values) ? product.values : {};
  const sku = valueData(values.sku, null);
  const name = valueData(values.name, NAME_LOCALE);
  if (sku === undefined || sku === '' || name === undefined || name === '') return undefined;
  const named = nameWithSku(name, sku);
  if (named === name) return undefined;
  return { uuid: product.uuid, values: { name: [{ locale: NAME_LOCALE, scope: null, data: named }] } };
}

/** The text of an attribute's value for one locale (null: not localizable), without a channel. */
function valueData(entries: unknown, locale: string | null): string | undefined {
  if (!Array.isArray(entries)) return undefined;
  const entry: unknown = entries.find((item) => isRecord(item) && item.locale === locale && item.scope === null);
  return isRecord(entry) && typeof entry.data === 'string' ? entry.data : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
