import type { RunRef } from './interface';

/** `<pim host>/products/<run id>/`, the same layout in S3 and on disk. A port's colon becomes an underscore. */
export function runPrefix({ pimHost, runId }: RunRef): string {
  return `${pimHost.replace(':', '_')}/products/${runId}/`;
}

export function partName(partNumber: number): string {
  return `part-${String(partNumber).padStart(5, '0')}.ndjson`;
}

export const MANIFEST_NAME = 'manifest.json';

export function toNdjson(products: readonly unknown[]): string {
  return products.map((product) => JSON.stringify(product)).join('\n') + (products.length > 0 ? '\n' : '');
}
