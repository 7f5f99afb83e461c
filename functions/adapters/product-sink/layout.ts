import { pimHostKey } from '../../contract/names';
import type { RunRef } from './interface';

/** `<pim host key>/products/<run id>/`, the same layout in S3 and on disk. */
export function runPrefix({ pimHost, runId }: RunRef): string {
  return `${pimHostKey(pimHost)}/products/${runId}/`;
}

export function partName(partNumber: number): string {
  return `part-${String(partNumber).padStart(5, '0')}.ndjson`;
}

export const MANIFEST_NAME = 'manifest.json';

export function toNdjson(products: readonly unknown[]): string {
  return products.map((product) => JSON.stringify(product)).join('\n') + (products.length > 0 ? '\n' : '');
}
