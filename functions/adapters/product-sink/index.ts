export type {
  DeletedPartCount,
  PartCount,
  ProductSink,
  ReconciliationSummary,
  RunRef,
  RunSummary,
} from './interface';
export {
  deletedPartName,
  MANIFEST_NAME,
  manifestOf,
  partName,
  type ReconciliationManifest,
  type RunManifest,
  reconciliationManifestOf,
  runPrefix,
} from './layout';
export { LocalDirectoryProductSink } from './local-directory';
export { S3ProductSink } from './s3';
