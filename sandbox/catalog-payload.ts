import type { IncomingMessage } from 'node:http';
import type { CatalogFields } from './catalog-store';
import { readBody } from './http-helpers';

export interface Violation {
  property: string;
  message: string;
}

/** Akeneo's 422 for a command or query that failed validation (its ViolationNormalizer). */
export function validationFailed(violations: readonly Violation[]) {
  return { code: 422, message: 'Validation failed.', errors: violations };
}

export type CatalogPayload =
  | { ok: true; fields: Partial<CatalogFields> & { name: string }; violations: Violation[] }
  | { ok: false; status: 400 | 413; body: { code: number; message: string } };

const MAX_NAME_CHARACTERS = 255;

/** The name's violations, as Symfony's NotBlank and Length(1, 255) give them on a string (a missing name is ''). */
function nameViolations(name: unknown): Violation[] {
  if (typeof name !== 'string') return [{ property: 'name', message: 'This value should be of type string.' }];
  if (name === '') {
    return [
      { property: 'name', message: 'This value should not be blank.' },
      { property: 'name', message: 'This value is too short. It should have 1 character or more.' },
    ];
  }
  if ([...name].length > MAX_NAME_CHARACTERS) {
    const message = `This value is too long. It should have ${MAX_NAME_CHARACTERS} characters or less.`;
    return [{ property: 'name', message }];
  }
  return [];
}

/** `managed_currencies` / `managed_locales` (SaaS): an optional list of codes. */
function codeList(property: string, value: unknown): { codes?: string[]; violations: Violation[] } {
  if (value === undefined) return { violations: [] };
  if (!Array.isArray(value)) return { violations: [{ property, message: 'This value should be of type array.' }] };
  if (value.some((code) => typeof code !== 'string')) {
    return { violations: [{ property, message: 'This value should be of type string.' }] };
  }
  return { codes: value as string[], violations: [] };
}

/**
 * The JSON body of POST /catalogs and PATCH /catalogs/{id}: 400 for a body that is not a JSON object, else the fields
 * with their violations (the caller adds its own and answers 422 when any).
 */
export async function readCatalogPayload(request: IncomingMessage): Promise<CatalogPayload> {
  let text: string;
  try {
    text = await readBody(request);
  } catch {
    return { ok: false, status: 413, body: { code: 413, message: 'The request body is larger than 1 MiB.' } };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, status: 400, body: { code: 400, message: 'Invalid json message received' } };
  }
  const body = parsed as Record<string, unknown>;
  const currencies = codeList('managed_currencies', body.managed_currencies);
  const locales = codeList('managed_locales', body.managed_locales);
  return {
    ok: true,
    fields: {
      name: typeof body.name === 'string' ? body.name : '',
      ...(currencies.codes ? { managedCurrencies: currencies.codes } : {}),
      ...(locales.codes ? { managedLocales: locales.codes } : {}),
    },
    violations: [...nameViolations(body.name ?? ''), ...currencies.violations, ...locales.violations],
  };
}
