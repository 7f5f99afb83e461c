import { phpType } from './php-values';

/** What a search filter reads of a product, by its catalog reference: each condition reads only what it needs. */
export interface SearchableCatalog {
  /** The product with exactly this uuid, as the index stores it (lowercase). */
  findExact(uuid: string): number | undefined;
  /** Epoch seconds (second precision, like the PIM's index). */
  updatedOf(ref: number): number;
  createdOf(ref: number): number;
}

/** Decides on a product by its catalog reference. */
export type ProductFilter = (ref: number) => boolean;

/** The filter of a request without `search`: callers can skip calling it. */
export const MATCH_ALL: ProductFilter = () => true;

export type SearchParseResult = { ok: true; filter: ProductFilter } | { ok: false; status: 400 | 422; message: string };

const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const DAY_SECONDS = 24 * 60 * 60;
const DATE_PROPERTIES = ['updated', 'created'] as const;
type DateProperty = (typeof DATE_PROPERTIES)[number];

interface Condition {
  operator?: unknown;
  value?: unknown;
}

function unprocessable(message: string): SearchParseResult {
  return { ok: false, status: 422, message };
}

function unsupported(property: string, operator: unknown): SearchParseResult {
  return unprocessable(`Filter on property "${property}" is not supported or does not support operator "${operator}"`);
}

/** "YYYY-MM-DD hh:mm:ss" in UTC (the SaaS server time zone) to epoch seconds. */
function parseDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || !DATE_TIME_PATTERN.test(value)) return undefined;
  const epochMs = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(epochMs) ? undefined : epochMs / 1000;
}

function badDate(property: DateProperty, value: unknown): SearchParseResult {
  return unprocessable(
    `Property "${property}" expects a string with the format "yyyy-mm-dd H:i:s" as data, "${String(value)}" given.`,
  );
}

/** A condition on `updated` or `created`: the same operators and date format for both (Akeneo's DateTimeFilter). */
function dateCondition(
  property: DateProperty,
  condition: Condition,
  catalog: SearchableCatalog,
  nowSeconds: number,
): SearchParseResult {
  const secondsOf = property === 'updated' ? catalog.updatedOf.bind(catalog) : catalog.createdOf.bind(catalog);
  const { operator, value } = condition;
  if (operator === '>' || operator === '<' || operator === '=' || operator === '!=') {
    const limit = parseDateTime(value);
    if (limit === undefined) return badDate(property, value);
    const compare: Record<typeof operator, (seconds: number) => boolean> = {
      '>': (seconds) => seconds > limit,
      '<': (seconds) => seconds < limit,
      '=': (seconds) => seconds === limit,
      '!=': (seconds) => seconds !== limit,
    };
    const test = compare[operator];
    return { ok: true, filter: (ref) => test(secondsOf(ref)) };
  }
  if (operator === 'BETWEEN' || operator === 'NOT BETWEEN') {
    const bounds = Array.isArray(value) && value.length === 2 ? value.map(parseDateTime) : [];
    const [from, to] = bounds;
    if (from === undefined || to === undefined) return badDate(property, JSON.stringify(value));
    const negate = operator === 'NOT BETWEEN';
    return {
      ok: true,
      filter: (ref) => {
        const seconds = secondsOf(ref);
        return (seconds >= from && seconds <= to) !== negate;
      },
    };
  }
  if (operator === 'SINCE LAST N DAYS') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      return unprocessable(`Property "${property}" expects an integer as data.`);
    }
    const since = nowSeconds - value * DAY_SECONDS;
    return { ok: true, filter: (ref) => secondsOf(ref) >= since };
  }
  return unsupported(property, operator);
}

/**
 * `IN` / `NOT IN` on `uuid` (Akeneo's UuidFilter): an array of strings, matched exactly against the index's
 * lowercase uuids, so an unknown or uppercase uuid matches nothing. Resolved to catalog references once.
 */
function uuidCondition(condition: Condition, catalog: SearchableCatalog): SearchParseResult {
  const { operator, value } = condition;
  if (operator !== 'IN' && operator !== 'NOT IN') return unsupported('uuid', operator);
  if (!Array.isArray(value) && (value === null || typeof value !== 'object')) {
    return unprocessable(`Property "uuid" expects an array as data, "${phpType(value)}" given.`);
  }
  const uuids = Object.values(value as object);
  if (uuids.some((uuid) => typeof uuid !== 'string')) {
    return unprocessable('Property "uuid" expects an array of strings as data.');
  }
  const refs = new Set<number>();
  for (const uuid of uuids as string[]) {
    const ref = catalog.findExact(uuid);
    if (ref !== undefined) refs.add(ref);
  }
  const wanted = operator === 'IN';
  return { ok: true, filter: (ref) => refs.has(ref) === wanted };
}

function parseCondition(
  property: string,
  condition: Condition,
  catalog: SearchableCatalog,
  nowSeconds: number,
): SearchParseResult {
  if (property === 'uuid') return uuidCondition(condition, catalog);
  if ((DATE_PROPERTIES as readonly string[]).includes(property)) {
    return dateCondition(property as DateProperty, condition, catalog, nowSeconds);
  }
  return unsupported(property, '');
}

/**
 * Parses the `search` query parameter. The sandbox supports `uuid`, `updated` and `created`; every condition must
 * hold (AND), as in Akeneo.
 */
export function parseProductSearch(
  search: string | null,
  nowSeconds: number,
  catalog: SearchableCatalog,
): SearchParseResult {
  if (search === null || search === '') return { ok: true, filter: MATCH_ALL };
  let parsed: unknown;
  try {
    parsed = JSON.parse(search);
  } catch {
    return { ok: false, status: 400, message: 'Search query parameter should be valid JSON.' };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return unprocessable('Search query parameter has to be an array.');
  }
  const filters: ProductFilter[] = [];
  for (const [property, conditions] of Object.entries(parsed)) {
    if (property !== 'uuid' && !(DATE_PROPERTIES as readonly string[]).includes(property)) {
      return unprocessable(`Filter on property "${property}" is not supported or does not support operator "".`);
    }
    if (!Array.isArray(conditions)) {
      return unprocessable(
        `Structure of filter "${property}" should respect this structure: {"${property}":[{"operator": "my_operator", "value": "my_value"}]}`,
      );
    }
    for (const condition of conditions as Condition[]) {
      const result = parseCondition(property, condition ?? {}, catalog, nowSeconds);
      if (!result.ok) return result;
      filters.push(result.filter);
    }
  }
  if (filters.length === 1) return { ok: true, filter: filters[0] as ProductFilter };
  return { ok: true, filter: (ref) => filters.every((filter) => filter(ref)) };
}
