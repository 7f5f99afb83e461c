import { COLORS, FAMILIES, type Family, MATERIALS } from './catalog-structure';

export interface ProductValue {
  locale: string | null;
  scope: string | null;
  data: unknown;
}

export interface Product {
  uuid: string;
  /** The identifier attribute's value; null for a product created without one. */
  identifier: string | null;
  enabled: boolean;
  family: string | null;
  categories: string[];
  groups: string[];
  parent: string | null;
  values: Record<string, ProductValue[]>;
  created: string;
  updated: string;
  associations: Record<string, unknown>;
  quantified_associations: Record<string, unknown>;
}

/** A product without the dates the PIM sets itself: what a write gives and what the catalog stores of it. */
export type ProductContent = Omit<Product, 'created' | 'updated'>;

/** The fields of a generated product that never change until it is written. */
export interface ProductFields {
  identifier: string;
  enabled: boolean;
  family: Family;
  color: string;
  material: string;
  amount: string;
}

const CATALOG_SEED = 0x41_6b_65_6e;
export const Salt = { uuid: 0x11, jitter: 0x22, time: 0x33, fields: 0x44, added: 0x55 } as const;

function mix32(value: number): number {
  let mixed = value ^ (value >>> 16);
  mixed = Math.imul(mixed, 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  return (mixed ^ (mixed >>> 16)) >>> 0;
}

/**
 * 32 pseudo-random bits for (product number, purpose, draw): any product is generated without the others, and the
 * same inputs always give the same catalog. No state, no closure: the large catalogs generate thousands per page.
 */
export function bits(index: number, salt: number, draw = 0): number {
  return mix32(mix32(index ^ CATALOG_SEED) ^ Math.imul(salt * 64 + draw + 1, 0x9e3779b1));
}

export function unit(index: number, salt: number, draw = 0): number {
  return bits(index, salt, draw) / 4294967296;
}

/** Byte → two hex digits: a catalog page writes a thousand uuids, and toString(16) + padStart was most of each. */
const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function hex8(value: number): string {
  const hex = HEX_BYTES;
  return `${hex[value >>> 24]}${hex[(value >>> 16) & 255]}${hex[(value >>> 8) & 255]}${hex[value & 255]}`;
}

const VARIANTS = ['8', '9', 'a', 'b'] as const;

/** A v4 UUID whose first 32 bits are `prefix` (so its sort position is known) and whose other bits are random. */
export function uuidWithPrefix(prefix: number, index: number, salt: number): string {
  const second = bits(index, salt, 1);
  const first = hex8(bits(index, salt, 0));
  const middle = hex8(second);
  const variant = VARIANTS[second & 3];
  // 96 random bits in hex, the version digit (4) and the variant digit written over two of them.
  return `${hex8(prefix)}-${first.slice(0, 4)}-4${first.slice(5)}-${variant}${middle.slice(1, 4)}-${middle.slice(4)}${hex8(bits(index, salt, 2))}`;
}

const DAY_SECONDS = 86_400;
/** Day number → "YYYY-MM-DDT". */
const dayPrefixes = new Map<number, string>();
const two = (value: number) => (value < 10 ? `0${value}` : String(value));

/**
 * ISO 8601 with an offset, as the Akeneo API writes dates: 2024-01-01T00:00:00+00:00. Written by hand from the day's
 * own prefix: a page of 100 products has 200 dates, and `Date#toISOString` was a fifth of the time to build one.
 */
export function toAkeneoDate(epochSeconds: number): string {
  const seconds = Math.floor(epochSeconds);
  const day = Math.floor(seconds / DAY_SECONDS);
  const inDay = seconds - day * DAY_SECONDS;
  const time = `${two(Math.floor(inDay / 3600))}:${two(Math.floor(inDay / 60) % 60)}:${two(inDay % 60)}`;
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 4096) dayPrefixes.clear();
    prefix = new Date(day * DAY_SECONDS * 1000).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  return `${prefix}${time}+00:00`;
}

function traitsOf(choice: number): { family: Family; enabled: boolean } {
  return { family: FAMILIES[choice % FAMILIES.length] as Family, enabled: (choice >>> 8) % 10 !== 0 };
}

/** The family and status of a generated product, without its other fields: what a catalog's selection reads. */
export function generatedTraits(index: number, salt: number): { family: Family; enabled: boolean } {
  return traitsOf(bits(index, salt, 0));
}

export function productFields(index: number, salt: number, identifierPrefix: string, number: number): ProductFields {
  const choice = bits(index, salt, 0);
  const { family, enabled } = traitsOf(choice);
  const prefix = identifierPrefix || family.code.toUpperCase().slice(0, 4);
  return {
    identifier: `${prefix}-${String(number).padStart(5, '0')}`,
    enabled,
    family,
    color: COLORS[(choice >>> 2) % COLORS.length] as string,
    material: MATERIALS[(choice >>> 5) % MATERIALS.length] as string,
    amount: (family.basePrice + (bits(index, salt, 1) % 40) + 0.99).toFixed(2),
  };
}

function productName({ family, color, material }: ProductFields): string {
  return `${color[0]?.toUpperCase()}${color.slice(1)} ${material} ${family.noun.toLowerCase()}`;
}

export function buildProduct(uuid: string, fields: ProductFields, createdSeconds: number, updatedSeconds: number) {
  const { identifier, family, color, amount } = fields;
  const name = productName(fields);
  const product: Product = {
    uuid,
    identifier,
    enabled: fields.enabled,
    family: family.code,
    categories: [family.category],
    groups: [],
    parent: null,
    values: {
      sku: [{ locale: null, scope: null, data: identifier }],
      name: [{ locale: 'en_US', scope: null, data: name }],
      color: [{ locale: null, scope: null, data: color }],
      price: [
        {
          locale: null,
          scope: null,
          data: [
            { amount, currency: 'EUR' },
            { amount, currency: 'USD' },
          ],
        },
      ],
    },
    created: toAkeneoDate(createdSeconds),
    updated: toAkeneoDate(updatedSeconds),
    associations: {},
    quantified_associations: {},
  };
  return product;
}

/**
 * The JSON text of buildProduct()'s product without its identifier (what a catalog serves), written without building
 * the object: building and stringifying took most of a 1,000-product catalog page's time. One template: the
 * generated strings (catalog-structure's words, digits, hyphens) need no JSON escape. Same keys, order and values
 * as JSON.stringify of that object (test/sandbox/catalog-product-json.test.ts checks it).
 */
export function catalogProductJson(
  uuid: string,
  fields: ProductFields,
  createdSeconds: number,
  updatedSeconds: number,
): string {
  const { identifier, family, color, amount, enabled } = fields;
  return `{"uuid":"${uuid}","enabled":${enabled},"family":"${family.code}","categories":["${family.category}"],"groups":[],"parent":null,"values":{"sku":[{"locale":null,"scope":null,"data":"${identifier}"}],"name":[{"locale":"en_US","scope":null,"data":"${productName(fields)}"}],"color":[{"locale":null,"scope":null,"data":"${color}"}],"price":[{"locale":null,"scope":null,"data":[{"amount":"${amount}","currency":"EUR"},{"amount":"${amount}","currency":"USD"}]}]},"created":"${toAkeneoDate(createdSeconds)}","updated":"${toAkeneoDate(updatedSeconds)}","associations":{},"quantified_associations":{}}`;
}
