import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { LocalDirectoryProductSink, type ProductSink, S3ProductSink } from '../../adapters/product-sink';
import { type Config, type ExportSinkKind, requireSetting } from '../../config';
import type { AwsClients } from '../aws-clients';

/** Each sink `EXPORT_SINK` can name; a new sink is one more entry (and one more value in the setting). */
const SINKS: Record<ExportSinkKind, (config: Config, aws: AwsClients) => ProductSink> = {
  s3: (config, aws) =>
    new S3ProductSink({
      client: aws.create(S3Client, { forcePathStyle: config.s3ForcePathStyle }),
      bucketName: requireSetting(config, 'exportBucketName'),
    }),
  'local-directory': (config) => new LocalDirectoryProductSink(join(config.dataDir, 'exports')),
};

/** The sink `EXPORT_SINK` picks: S3 on AWS; locally, S3 when a bucket is set, else `DATA_DIR/exports/`. */
export function createProductSink(config: Config, aws: AwsClients): ProductSink {
  return SINKS[config.exportSink](config, aws);
}
