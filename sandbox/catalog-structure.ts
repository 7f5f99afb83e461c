/**
 * The sandbox PIM's catalog structure: what its generated products use, and what a write is checked against. Small
 * on purpose: a few attributes of the common types, two channels, three activated locales.
 */

export const FAMILIES = [
  { code: 'tshirts', category: 'men_tshirts', noun: 'T-shirt', basePrice: 19 },
  { code: 'sneakers', category: 'shoes', noun: 'Sneakers', basePrice: 79 },
  { code: 'backpacks', category: 'bags', noun: 'Backpack', basePrice: 49 },
  { code: 'headphones', category: 'audio', noun: 'Headphones', basePrice: 99 },
] as const;
export type Family = (typeof FAMILIES)[number];

export const COLORS = ['black', 'white', 'blue', 'red', 'green', 'grey'] as const;
export const MATERIALS = ['cotton', 'leather', 'recycled polyester', 'canvas', 'aluminium'] as const;

/** The category tree: a root and one category per family. */
export const ROOT_CATEGORY = 'master';
export const CATEGORY_CODES: ReadonlySet<string> = new Set([
  ROOT_CATEGORY,
  ...FAMILIES.map((family) => family.category),
]);

/** A category and its descendants: the root's children are the families' categories, which have none. */
export function categoryAndDescendants(code: string): readonly string[] {
  return code === ROOT_CATEGORY ? [...CATEGORY_CODES] : [code];
}
export const FAMILY_CODES: ReadonlySet<string> = new Set(FAMILIES.map((family) => family.code));
export const ACTIVATED_LOCALES: ReadonlySet<string> = new Set(['de_DE', 'en_US', 'fr_FR']);
export const CHANNELS: ReadonlySet<string> = new Set(['ecommerce', 'mobile']);

export type AttributeType =
  | 'pim_catalog_identifier'
  | 'pim_catalog_text'
  | 'pim_catalog_textarea'
  | 'pim_catalog_simpleselect'
  | 'pim_catalog_price_collection';

export interface AttributeDefinition {
  readonly type: AttributeType;
  readonly localizable: boolean;
  readonly scopable: boolean;
}

/** The identifier attribute: its value is also the product's `identifier`. */
export const IDENTIFIER_ATTRIBUTE = 'sku';

export const ATTRIBUTES: ReadonlyMap<string, AttributeDefinition> = new Map([
  [IDENTIFIER_ATTRIBUTE, { type: 'pim_catalog_identifier', localizable: false, scopable: false }],
  ['name', { type: 'pim_catalog_text', localizable: true, scopable: false }],
  ['description', { type: 'pim_catalog_textarea', localizable: true, scopable: true }],
  ['color', { type: 'pim_catalog_simpleselect', localizable: false, scopable: false }],
  ['price', { type: 'pim_catalog_price_collection', localizable: false, scopable: false }],
]);

/** Akeneo's limit for a `pim_catalog_text` value. */
export const TEXT_MAX_CHARACTERS = 255;
