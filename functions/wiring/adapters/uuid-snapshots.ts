import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { LocalDirectoryUuidSnapshots, S3UuidSnapshots, type UuidSnapshots } from '../../adapters/uuid-snapshots';
import { type Config, type ExportSinkKind, requireSetting } from '../../config';
import type { AwsClients } from '../aws-clients';

/** Reconciliation snapshots live beside the exports: the same medium `EXPORT_SINK` picks. */
const STORES: Record<ExportSinkKind, (config: Config, aws: AwsClients) => UuidSnapshots> = {
  s3: (config, aws) =>
    new S3UuidSnapshots({
      client: aws.create(S3Client, { forcePathStyle: config.s3ForcePathStyle }),
      bucketName: requireSetting(config, 'exportBucketName'),
    }),
  'local-directory': (config) => new LocalDirectoryUuidSnapshots(join(config.dataDir, 'exports')),
};

export function createUuidSnapshots(config: Config, aws: AwsClients): UuidSnapshots {
  return STORES[config.exportSink](config, aws);
}
