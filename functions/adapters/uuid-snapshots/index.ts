export type { SnapshotRef, UuidSnapshots } from './interface';
export { snapshotPartKey } from './layout';
export { LocalDirectoryUuidSnapshots } from './local-directory';
export { S3UuidSnapshots } from './s3';
