import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { LocalDirectoryProductSink, type ProductSink, S3ProductSink } from '../../adapters/product-sink';
import { type Config, requireSetting } from '../../config';
import type { AwsClients } from '../aws-clients';

/** S3 when a bucket is configured (always on AWS); otherwise, locally, `DATA_DIR/exports/`. */
export function createProductSink(config: Config, aws: AwsClients): ProductSink {
  if (config.exportBucketName !== undefined || config.mode === 'aws') {
    return new S3ProductSink({
      client: aws.create(S3Client, { forcePathStyle: config.s3ForcePathStyle }),
      bucketName: requireSetting(config, 'exportBucketName'),
    });
  }
  return new LocalDirectoryProductSink(join(config.dataDir, 'exports'));
}
