import type { Logger } from '@aws-lambda-powertools/logger';
import { WRITE_PRODUCTS_SCOPE } from '../contract/example-worker';
import { nameWithSkuLine } from '../core/name-with-sku';
import { akeneoDateTime } from '../core/sync-window';
import type { ListQuery, PimAccess, PimClient, PimWorkOutcome, ProductLine, ProductWriteResult } from '../pim-access';

const PRODUCTS = '/api/rest/v1/products-uuid';

export interface NameProductsWithSkuDeps {
  readonly pims: Pick<PimAccess, 'withPim'>;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** Told of each page's final results, line by line (after the resend): the local command prints them. */
  readonly onResults?: (results: readonly ProductWriteResult[]) => void;
}

/** Which products to look at: those of one PIM updated after a time (a sync run's window), or all of them. */
export interface NameProductsRequest {
  readonly pimHost: string;
  /** ISO 8601; absent: every product (a first sync exported them all). */
  readonly updatedAfter?: string;
}

/** What one run did, line by line counted. */
export interface NamingReport {
  /** Products read from the PIM. */
  readonly read: number;
  /** Lines sent (products whose name lacked their SKU); a line sent again after `unknown` counts once. */
  readonly sent: number;
  readonly updated: number;
  readonly created: number;
  /** Lines the PIM refused, each logged with its message. */
  readonly refused: number;
  /** Lines still without a result after being sent twice: the next run sends them again. */
  readonly unknown: number;
  /** The PIM never granted `write_products`: nothing was read or written. */
  readonly writeScopeMissing: boolean;
}

export type NameProductsWithSku = (request: NameProductsRequest) => Promise<PimWorkOutcome<NamingReport>>;

/**
 * The worked example: reads the PIM's products updated in a sync run's window, page by page, and writes back the
 * English name with its SKU where it lacks it (`core/name-with-sku.ts`), resending once the lines whose result never
 * came. A connection that never granted `write_products` is left alone: a write would get the PIM's 403, which marks
 * the connection `scope_missing` and stops the sync too, so the worker says what to do instead.
 */
export const nameProductsWithSku =
  ({ pims, logger, onResults }: NameProductsWithSkuDeps): NameProductsWithSku =>
  ({ pimHost, updatedAfter }) =>
    pims.withPim(pimHost, async (pim) => {
      const counts = { read: 0, sent: 0, updated: 0, created: 0, refused: 0, unknown: 0 };
      if (!pim.connection.scopes.includes(WRITE_PRODUCTS_SCOPE)) {
        logger.warn('The PIM did not grant write_products: nothing written', {
          pimHost,
          next: `Request ${WRITE_PRODUCTS_SCOPE} (akeneo:scopes, or akeneo:exampleWorker), then reconnect the app from the PIM`,
        });
        return { ...counts, writeScopeMissing: true };
      }
      const search: ListQuery = updatedAfter === undefined ? {} : { search: updatedSince(updatedAfter) };
      for await (const page of pim.list(PRODUCTS, search)) {
        counts.read += page.items.length;
        const lines = page.items.flatMap((item) => nameWithSkuLine(item) ?? []);
        if (lines.length === 0) continue;
        counts.sent += lines.length;
        const results = await writeResendingUnknown(pim, lines);
        onResults?.(results);
        for (const result of results) {
          counts[result.outcome] += 1;
          if (result.outcome === 'refused') logRefused(logger, pimHost, result);
        }
      }
      if (counts.unknown > 0) {
        logger.warn('Lines without a result after a resend', { pimHost, unknown: counts.unknown });
      }
      return { ...counts, writeScopeMissing: false };
    });

/** Writes the lines, then once more those whose result never came (a line sets values: sending it again is safe). */
async function writeResendingUnknown(pim: PimClient, lines: readonly ProductLine[]): Promise<ProductWriteResult[]> {
  const results = await pim.patchProducts(lines);
  const unknown = results.filter((result) => result.outcome === 'unknown');
  if (unknown.length === 0) return results;
  const resent = await pim.patchProducts(unknown.map((result) => lines[result.line - 1] as ProductLine));
  const byLine = new Map(unknown.map((result, index) => [result.line, resent[index] as ProductWriteResult]));
  return results.map((result) => ({ ...(byLine.get(result.line) ?? result), line: result.line }));
}

function logRefused(logger: NameProductsWithSkuDeps['logger'], pimHost: string, result: ProductWriteResult): void {
  logger.warn('The PIM refused a line', {
    pimHost,
    uuid: result.uuid,
    statusCode: result.statusCode,
    pimMessage: result.message,
    ...(result.errors ? { errors: result.errors } : {}),
  });
}

function updatedSince(iso: string): object {
  return { updated: [{ operator: '>', value: akeneoDateTime(iso) }] };
}
