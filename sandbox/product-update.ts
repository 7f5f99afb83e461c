import {
  ATTRIBUTES,
  type AttributeDefinition,
  CATEGORY_CODES,
  FAMILY_CODES,
  IDENTIFIER_ATTRIBUTE,
} from './catalog-structure';
import { phpType } from './php-values';
import type { ProductContent, ProductValue } from './product-generator';
import { type Violation, validateProduct } from './product-validation';

/** Where Akeneo's documented errors on this endpoint point. */
export const PATCH_PRODUCT_DOCUMENTATION = 'http://api.akeneo.com/api-reference.html#patch_products_uuid__uuid_';

/** Why the PIM refused a product: a documented error (the updater's) or the validator's violations. */
export type UpdateRefusal =
  | { message: string; _links: { documentation: { href: string } } }
  | { message: 'Validation failed.'; errors: Violation[] };

export type UpdateOutcome =
  | { ok: true; content: ProductContent; changed: boolean }
  | { ok: false; refusal: UpdateRefusal };

/** Fields the PIM sets itself: a write may send them, they are ignored (Akeneo's "ignored properties"). */
const IGNORED_FIELDS = new Set(['uuid', 'created', 'updated']);

class Refused extends Error {}

/** Akeneo's documented error: the message with its pointer to the documentation. */
function refuse(message: string): never {
  throw new Refused(message);
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

function expectString(field: string, value: unknown, nullable: boolean): string | null {
  if (typeof value === 'string' || (nullable && value === null)) return value;
  refuse(`Property "${field}" expects a string as data, "${phpType(value)}" given.`);
}

/** A list of codes (a JSON array, or an object whose values are taken as PHP would), each one a string. */
function expectCodes(field: string, value: unknown): string[] {
  if (!isObject(value)) refuse(`Property "${field}" expects an array as data, "${phpType(value)}" given.`);
  const codes = Object.values(value);
  if (codes.some((code) => typeof code !== 'string')) {
    refuse(`Property "${field}" expects an array with valid data, one of the "${field}" values is not a scalar.`);
  }
  return codes as string[];
}

function expectCategories(field: string, value: unknown): string[] {
  const codes = expectCodes(field, value);
  const unknown = codes.find((code) => !CATEGORY_CODES.has(code));
  if (unknown !== undefined) {
    refuse(`Property "${field}" expects a valid category code. The category does not exist, "${unknown}" given.`);
  }
  return codes;
}

const sortedUnique = (codes: Iterable<string>) => [...new Set(codes)].sort();

const isEmptyData = (data: unknown) =>
  data === null ||
  data === '' ||
  (Array.isArray(data) && data.length === 0) ||
  (isObject(data) && !Object.keys(data).length);

/** Checks one entry's data against its attribute's type, as the updater does before any validation. */
function checkData(code: string, attribute: AttributeDefinition, data: unknown): void {
  if (data === null) return;
  if (['pim_catalog_identifier', 'pim_catalog_text', 'pim_catalog_textarea'].includes(attribute.type)) {
    if (typeof data !== 'string') refuse(`The ${code} attribute requires a string, a ${phpType(data)} was detected.`);
  } else if (attribute.type === 'pim_catalog_simpleselect') {
    expectString(code, data, true);
  } else if (!isObject(data)) {
    refuse(`Property "${code}" expects an array as data, "${phpType(data)}" given.`);
  }
}

/** The entries of one attribute in `values`: each an object with `locale`, `scope` and `data`. */
function readEntries(code: string, entries: unknown): ProductValue[] {
  const attribute = ATTRIBUTES.get(code);
  if (!attribute) refuse(`The ${code} attribute does not exist in your PIM.`);
  if (!isObject(entries)) refuse(`Property "${code}" expects an array as data, "${phpType(entries)}" given.`);
  const read: ProductValue[] = [];
  for (const entry of Object.values(entries)) {
    if (!isObject(entry))
      refuse(`Property "${code}" expects an array with valid data, one of the values is not an array.`);
    for (const key of ['locale', 'scope', 'data']) {
      if (!(key in entry)) refuse(`Property "${code}" expects an array with the key "${key}".`);
    }
    const locale = expectString(code, entry.locale, true);
    const scope = expectString(code, entry.scope, true);
    checkData(code, attribute, entry.data);
    read.push({ locale, scope, data: entry.data });
  }
  return read;
}

/** Akeneo's duplicate check: one attribute, locale and scope at most once per request. */
function refuseDuplicates(values: Json): void {
  for (const [code, entries] of Object.entries(values)) {
    if (!isObject(entries)) continue;
    const seen = new Set<string>();
    for (const entry of Object.values(entries)) {
      if (!isObject(entry)) continue;
      const key = JSON.stringify([entry.locale ?? null, entry.scope ?? null]);
      if (seen.has(key)) {
        refuse(
          `You cannot update the same product value on the "${code}" attribute twice, with the same scope and locale.`,
        );
      }
      seen.add(key);
    }
  }
}

/** `values` merge per attribute, locale and scope; an empty `data` removes that value. */
function mergeValues(current: ProductContent['values'], input: unknown): ProductContent['values'] {
  if (!isObject(input) || Array.isArray(input)) {
    refuse(`Property "values" expects an array as data, "${phpType(input)}" given.`);
  }
  const merged: ProductContent['values'] = structuredClone(current);
  for (const [code, entries] of Object.entries(input)) {
    const list = merged[code] ?? [];
    for (const entry of readEntries(code, entries)) {
      const index = list.findIndex((value) => value.locale === entry.locale && value.scope === entry.scope);
      if (isEmptyData(entry.data)) {
        if (index >= 0) list.splice(index, 1);
      } else if (index >= 0) list[index] = entry;
      else list.push(entry);
    }
    if (list.length > 0) merged[code] = list;
    else delete merged[code];
  }
  return merged;
}

/** Associations merge per type; within a type, each of `groups`, `products`, `product_models` given replaces. */
function mergeAssociations(field: string, current: Json, input: unknown): Json {
  if (!isObject(input)) refuse(`Property "${field}" expects an array as data, "${phpType(input)}" given.`);
  const merged: Json = structuredClone(current);
  for (const [type, links] of Object.entries(input)) {
    if (!isObject(links)) refuse(`Property "${field}" expects an array as data, "${phpType(links)}" given.`);
    const { products, ...rest } = links;
    merged[type] = {
      ...(isObject(merged[type]) ? merged[type] : {}),
      ...rest,
      ...(products === undefined ? {} : { product_uuids: products }),
    };
  }
  return merged;
}

function applyField(product: ProductContent, field: string, value: unknown): void {
  switch (field) {
    case 'enabled':
      if (typeof value !== 'boolean')
        refuse(`Property "enabled" expects a boolean as data, "${phpType(value)}" given.`);
      product.enabled = value;
      return;
    case 'family': {
      const family = expectString('family', value, true);
      if (family !== null && !FAMILY_CODES.has(family)) {
        refuse(`Property "family" expects a valid family code. The family does not exist, "${family}" given.`);
      }
      product.family = family;
      return;
    }
    case 'parent': {
      const parent = expectString('parent', value, true);
      if (parent !== null) {
        refuse(
          `Property "parent" expects a valid parent code. The parent product model does not exist, "${parent}" given.`,
        );
      }
      product.parent = null;
      return;
    }
    case 'categories':
      product.categories = sortedUnique(expectCategories(field, value));
      return;
    case 'add_categories':
      product.categories = sortedUnique([...product.categories, ...expectCategories(field, value)]);
      return;
    case 'remove_categories': {
      const removed = new Set(expectCategories(field, value));
      product.categories = product.categories.filter((code) => !removed.has(code));
      return;
    }
    case 'groups': {
      const unknown = expectCodes('groups', value)[0];
      // The sandbox PIM has no product groups.
      if (unknown !== undefined) {
        refuse(`Property "groups" expects a valid group code. The group does not exist, "${unknown}" given.`);
      }
      product.groups = [];
      return;
    }
    case 'values':
      product.values = mergeValues(product.values, value);
      return;
    case 'associations':
    case 'quantified_associations':
      product[field] = mergeAssociations(field, product[field], value);
      return;
    default:
      refuse(`Property "${field}" does not exist.`);
  }
}

export function emptyProduct(uuid: string): ProductContent {
  return {
    uuid,
    identifier: null,
    enabled: true,
    family: null,
    categories: [],
    groups: [],
    parent: null,
    values: {},
    associations: {},
    quantified_associations: {},
  };
}

/**
 * What the PIM makes of one line of a collection PATCH for the product `existing` (undefined: it creates one with
 * `uuid`), as Akeneo's product updater and validator do: top-level fields replace, `values` merge per attribute,
 * locale and scope, `categories` replace (`add_categories` / `remove_categories` add and remove). Pure: the caller
 * stores the result. `changed` is false when the product came out as it was (the PIM then saves nothing).
 */
export function updateProduct(existing: ProductContent | undefined, uuid: string, data: Json): UpdateOutcome {
  const before = existing ?? emptyProduct(uuid);
  const product = structuredClone(before);
  try {
    if ('identifier' in data) refuse('Property "identifier" does not exist.');
    if (isObject(data.values)) refuseDuplicates(data.values);
    for (const [field, value] of Object.entries(data)) {
      if (!IGNORED_FIELDS.has(field)) applyField(product, field, value);
    }
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    const message = `${error.message} Check the expected format on the API documentation.`;
    return { ok: false, refusal: { message, _links: { documentation: { href: PATCH_PRODUCT_DOCUMENTATION } } } };
  }
  const identifier = product.values[IDENTIFIER_ATTRIBUTE]?.[0]?.data;
  product.identifier = typeof identifier === 'string' ? identifier : null;
  const violations = validateProduct(product);
  if (violations.length > 0) return { ok: false, refusal: { message: 'Validation failed.', errors: violations } };
  return {
    ok: true,
    content: product,
    changed: existing === undefined || JSON.stringify(product) !== JSON.stringify(before),
  };
}
