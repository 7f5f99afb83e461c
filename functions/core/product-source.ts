/**
 * What the sync reads in each PIM, one choice per deployment. `products`: every product the token can see
 * (`/api/rest/v1/products-uuid`). `catalog`: the products of the app's own catalog in that PIM (Catalogs for Apps:
 * the PIM user picks them and enables the catalog), `/api/rest/v1/catalogs/{id}/products`.
 */
export const PRODUCT_SOURCES = ['products', 'catalog'] as const;
export type ProductSource = (typeof PRODUCT_SOURCES)[number];

/** Akeneo's limit on a catalog's name (1 to 255 characters). */
export const MAX_CATALOG_NAME_LENGTH = 255;

/** The catalog's name when none is configured: the app finds its catalog in a PIM by it. */
export const DEFAULT_CATALOG_NAME = 'akeneo-custom-app';

/** Why a catalog name cannot be used, or undefined when it can. */
export function catalogNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'must not be blank';
  if (name !== name.trim()) return 'must not start or end with spaces';
  if ([...name].length > MAX_CATALOG_NAME_LENGTH) return `must be at most ${MAX_CATALOG_NAME_LENGTH} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'must not contain control characters';
  return undefined;
}

/**
 * The most a connection's catalog step may take (finding or creating the catalog), after the code is exchanged: the
 * connected page waits for it. A PIM that takes longer is connected anyway; its next sync finishes the step.
 */
export const CATALOG_STEP_TIMEOUT_MS = 10_000;
