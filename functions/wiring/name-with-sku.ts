import type { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from '../config';
import { NAME_WITH_SKU_WORKER } from '../contract/example-worker';
import { createLogger } from '../observability/logger';
import {
  type NameProductsWithSku,
  type NameProductsWithSkuDeps,
  nameProductsWithSku,
} from '../use-cases/name-products-with-sku';
import { awsClients } from './aws-clients';
import { createPimAccess, type PimAccessOptions } from './pim-access';

/** Everything the example worker's handler uses. */
export interface NameWithSkuDeps {
  readonly nameProducts: NameProductsWithSku;
  readonly logger: Logger;
}

/** The example worker's dependencies: the entry point to the PIMs, under the worker's own name, and a logger. */
export function createNameWithSkuDeps(
  config: Config,
  options: PimAccessOptions & Pick<NameProductsWithSkuDeps, 'onResults'> = {},
): NameWithSkuDeps {
  const { onResults, ...access } = options;
  const logger = createLogger(config);
  const pims = createPimAccess(config, awsClients(NAME_WITH_SKU_WORKER), access);
  return { nameProducts: nameProductsWithSku({ pims, logger, ...(onResults ? { onResults } : {}) }), logger };
}
