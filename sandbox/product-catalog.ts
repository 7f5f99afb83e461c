export interface ProductValue {
  locale: string | null;
  scope: string | null;
  data: unknown;
}

export interface Product {
  uuid: string;
  identifier: string;
  enabled: boolean;
  family: string;
  categories: string[];
  groups: string[];
  parent: string | null;
  values: Record<string, ProductValue[]>;
  created: string;
  updated: string;
  associations: Record<string, unknown>;
  quantified_associations: Record<string, unknown>;
}

const CATALOG_SEED = 0x41_6b_65_6e;
const CATALOG_START = Date.UTC(2023, 0, 1);
const DAY_MS = 24 * 60 * 60 * 1000;

const FAMILIES = [
  { code: 'tshirts', category: 'men_tshirts', noun: 'T-shirt', basePrice: 19 },
  { code: 'sneakers', category: 'shoes', noun: 'Sneakers', basePrice: 79 },
  { code: 'backpacks', category: 'bags', noun: 'Backpack', basePrice: 49 },
  { code: 'headphones', category: 'audio', noun: 'Headphones', basePrice: 99 },
] as const;
const COLORS = ['black', 'white', 'blue', 'red', 'green', 'grey'] as const;
const MATERIALS = ['cotton', 'leather', 'recycled polyester', 'canvas', 'aluminium'] as const;

/** mulberry32: a tiny seeded generator, so every sandbox serves the same catalog. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function uuidV4From(random: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** ISO 8601 with an offset, as the Akeneo API writes dates: 2024-01-01T00:00:00+00:00. */
export function toAkeneoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function localized(data: unknown, locale: string | null = 'en_US', scope: string | null = null): ProductValue[] {
  return [{ locale, scope, data }];
}

function generateProduct(random: () => number, index: number): Product {
  const family = pick(random, FAMILIES);
  const color = pick(random, COLORS);
  const material = pick(random, MATERIALS);
  const identifier = `${family.code.toUpperCase().slice(0, 4)}-${String(index + 1).padStart(5, '0')}`;
  const name = `${color[0]?.toUpperCase()}${color.slice(1)} ${material} ${family.noun.toLowerCase()}`;
  const amount = (family.basePrice + Math.floor(random() * 40) + 0.99).toFixed(2);
  const createdMs = CATALOG_START + Math.floor((random() * 365 * DAY_MS) / 1000) * 1000;
  const updatedMs = createdMs + Math.floor((random() * 180 * DAY_MS) / 1000) * 1000;
  return {
    uuid: uuidV4From(random),
    identifier,
    enabled: random() > 0.1,
    family: family.code,
    categories: [family.category],
    groups: [],
    parent: null,
    values: {
      sku: localized(identifier, null),
      name: localized(name),
      description: localized(`${name} from the sandbox catalog.`, 'en_US', 'ecommerce'),
      color: localized(color, null),
      price: localized(
        [
          { amount, currency: 'EUR' },
          { amount, currency: 'USD' },
        ],
        null,
      ),
    },
    created: toAkeneoDate(createdMs),
    updated: toAkeneoDate(updatedMs),
    associations: {},
    quantified_associations: {},
  };
}

/** A deterministic catalog of `count` products, sorted by uuid like the search-after order of the API. */
export function generateCatalog(count: number): Product[] {
  const random = seededRandom(CATALOG_SEED);
  const products = Array.from({ length: count }, (_, index) => generateProduct(random, index));
  return products.sort((left, right) => (left.uuid < right.uuid ? -1 : left.uuid > right.uuid ? 1 : 0));
}
