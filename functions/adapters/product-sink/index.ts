export type { PartCount, ProductSink, RunRef, RunSummary } from './interface';
export { MANIFEST_NAME, manifestOf, partName, type RunManifest, runPrefix } from './layout';
export { LocalDirectoryProductSink } from './local-directory';
export { S3ProductSink } from './s3';
