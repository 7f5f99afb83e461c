/** Decides on a product from its `updated` time in epoch seconds (second precision, like the PIM's index). */
export type ProductFilter = (updatedSeconds: number) => boolean;

/** The filter of a request without `search`: callers can skip computing `updated` for it. */
export const MATCH_ALL: ProductFilter = () => true;

export type SearchParseResult = { ok: true; filter: ProductFilter } | { ok: false; status: 400 | 422; message: string };

const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const DAY_SECONDS = 24 * 60 * 60;

interface Condition {
  operator?: unknown;
  value?: unknown;
}

function unprocessable(message: string): SearchParseResult {
  return { ok: false, status: 422, message };
}

/** "YYYY-MM-DD hh:mm:ss" in UTC (the SaaS server time zone) to epoch seconds. */
function parseDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || !DATE_TIME_PATTERN.test(value)) return undefined;
  const epochMs = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(epochMs) ? undefined : epochMs / 1000;
}

function badDate(value: unknown): SearchParseResult {
  return unprocessable(
    `Property "updated" expects a string with the format "yyyy-mm-dd H:i:s" as data, "${String(value)}" given.`,
  );
}

function updatedCondition(condition: Condition, nowSeconds: number): SearchParseResult {
  const { operator, value } = condition;
  if (operator === '>' || operator === '<' || operator === '=' || operator === '!=') {
    const limit = parseDateTime(value);
    if (limit === undefined) return badDate(value);
    const compare: Record<typeof operator, (updated: number) => boolean> = {
      '>': (updated) => updated > limit,
      '<': (updated) => updated < limit,
      '=': (updated) => updated === limit,
      '!=': (updated) => updated !== limit,
    };
    return { ok: true, filter: compare[operator] };
  }
  if (operator === 'BETWEEN' || operator === 'NOT BETWEEN') {
    const bounds = Array.isArray(value) && value.length === 2 ? value.map(parseDateTime) : [];
    const [from, to] = bounds;
    if (from === undefined || to === undefined) return badDate(JSON.stringify(value));
    const inside = (updated: number) => updated >= from && updated <= to;
    const negate = operator === 'NOT BETWEEN';
    return { ok: true, filter: (updated) => inside(updated) !== negate };
  }
  if (operator === 'SINCE LAST N DAYS') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      return unprocessable('Property "updated" expects an integer as data.');
    }
    return { ok: true, filter: (updated) => updated >= nowSeconds - value * DAY_SECONDS };
  }
  return unprocessable(`Filter on property "updated" is not supported or does not support operator "${operator}"`);
}

/** Parses the `search` query parameter. Only the `updated` property is supported by the sandbox. */
export function parseProductSearch(search: string | null, nowSeconds: number): SearchParseResult {
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
    if (property !== 'updated') {
      return unprocessable(`Filter on property "${property}" is not supported or does not support operator "".`);
    }
    if (!Array.isArray(conditions)) {
      return unprocessable(
        `Structure of filter "${property}" should respect this structure: {"${property}":[{"operator": "my_operator", "value": "my_value"}]}`,
      );
    }
    for (const condition of conditions as Condition[]) {
      const result = updatedCondition(condition ?? {}, nowSeconds);
      if (!result.ok) return result;
      filters.push(result.filter);
    }
  }
  return { ok: true, filter: (updated) => filters.every((filter) => filter(updated)) };
}
