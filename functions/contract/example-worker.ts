import { workerName } from './names';

/**
 * The worked example of a downstream worker (functions/name-with-sku.ts): its name, for its AWS user agent, its
 * alarm and the IAM audit, and the scope its writes need, which the stack's `akeneo:exampleWorker` switch adds to the
 * scopes the app requests.
 */
export const NAME_WITH_SKU_WORKER = workerName('name-with-sku');

/** Akeneo's scope for `PATCH /api/rest/v1/products-uuid`: without it, the PIM answers 403. */
export const WRITE_PRODUCTS_SCOPE = 'write_products';
