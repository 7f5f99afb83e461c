import { parseAtomDate } from './atom-date';
import type { Violation } from './catalog-payload';
import { phpIntCast } from './php-values';
import type { ProductFilter } from './product-search';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DEFAULT_PRODUCT_LIMIT = 100;
const ISO_REQUIRED = 'ISO 8601 format is required.';

/** A bound of the updated window: as given (for the links) and in epoch seconds. */
export interface DateBound {
  text: string;
  seconds: number;
}

/** The query of a catalog's product listing, checked as Akeneo's GetProducts(Uuids)Query is. */
export interface ProductQuery {
  /** Lowercase, as the index holds uuids. */
  searchAfter: string | undefined;
  limit: number;
  updatedAfter: DateBound | undefined;
  updatedBefore: DateBound | undefined;
}

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

function dateBound(value: string | null): DateBound | undefined | 'invalid' {
  // Symfony's DateTime constraint lets an empty string through, and the query then has no such bound.
  if (value === null || value === '') return undefined;
  const seconds = parseAtomDate(value);
  return seconds === undefined ? 'invalid' : { text: value, seconds };
}

/** Every violation at once, in the query's property order, as Akeneo's validator reports them. */
export function parseProductQuery(
  query: URLSearchParams,
  maxLimit: number,
): { ok: true; value: ProductQuery } | { ok: false; violations: Violation[] } {
  const violations: Violation[] = [];
  const searchAfter = query.get('search_after') ?? undefined;
  if (searchAfter !== undefined && !isUuid(searchAfter)) {
    violations.push({ property: 'search_after', message: 'This is not a valid UUID.' });
  }
  const limit = phpIntCast(query.get('limit') ?? String(DEFAULT_PRODUCT_LIMIT));
  if (limit < 1 || limit > maxLimit) {
    violations.push({ property: 'limit', message: `This value should be between 1 and ${maxLimit}.` });
  }
  const updatedAfter = dateBound(query.get('updated_after'));
  if (updatedAfter === 'invalid') violations.push({ property: 'updated_after', message: ISO_REQUIRED });
  const updatedBefore = dateBound(query.get('updated_before'));
  if (updatedBefore === 'invalid') violations.push({ property: 'updated_before', message: ISO_REQUIRED });
  if (violations.length > 0 || updatedAfter === 'invalid' || updatedBefore === 'invalid') {
    return { ok: false, violations };
  }
  return { ok: true, value: { searchAfter: searchAfter?.toLowerCase(), limit, updatedAfter, updatedBefore } };
}

/**
 * The updated window as Akeneo's catalog query builds it: after alone is `>`, before alone is `<`, and both together
 * are a BETWEEN, bounds included. Undefined when the query has no bound.
 */
export function updatedWindow(query: ProductQuery, updatedOf: (ref: number) => number): ProductFilter | undefined {
  const after = query.updatedAfter?.seconds;
  const before = query.updatedBefore?.seconds;
  if (after !== undefined && before !== undefined) {
    return (ref) => {
      const updated = updatedOf(ref);
      return updated >= after && updated <= before;
    };
  }
  if (after !== undefined) return (ref) => updatedOf(ref) > after;
  if (before !== undefined) return (ref) => updatedOf(ref) < before;
  return undefined;
}

/**
 * A link as Akeneo's router writes these (no ABSOLUTE_URL): a path relative to the PIM, the parameters in its order,
 * those without a value left out, values percent-encoded (a `+` offset becomes %2B).
 */
export function relativeLink(path: string, parameters: readonly [string, string | number | undefined][]) {
  const query = parameters
    .filter((parameter): parameter is [string, string | number] => parameter[1] !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');
  return { href: query === '' ? path : `${path}?${query}` };
}
