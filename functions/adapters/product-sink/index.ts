export type { ProductSink, RunManifest, RunRef } from './interface';
export { MANIFEST_NAME, partName, runPrefix } from './layout';
export { LocalDirectoryProductSink } from './local-directory';
export { S3ProductSink } from './s3';
