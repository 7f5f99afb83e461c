export type {
  ProductLine,
  ProductViolation,
  ProductWriteOutcome,
  ProductWriteResult,
} from '../akeneo/product-writes';
export {
  type OpenOptions,
  PimAccess,
  type PimAccessDeps,
  type PimOpening,
  type PimRetryEvent,
  type PimWorkOutcome,
} from './pim-access';
export { type ListQuery, PimClient, type PimListPage, type ReadOptions } from './pim-client';
export type { InactiveStatus, PimAccessRefusal } from './refusal';
