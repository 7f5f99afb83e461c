import { join } from 'node:path';
import { LocalDirectoryProductSink, S3ProductSink } from '../../../functions/adapters/product-sink';
import { loadConfig } from '../../../functions/config';
import { createProductSink } from '../../../functions/wiring/adapters/product-sink';
import { awsClients } from '../../../functions/wiring/aws-clients';

const aws = awsClients('sync-worker');

describe('the sink the worker writes to', () => {
  it('is the export bucket when EXPORT_SINK is s3', () => {
    const sink = createProductSink(loadConfig({ APP_MODE: 'local', EXPORT_SINK: 's3', EXPORT_BUCKET_NAME: 'b' }), aws);

    expect(sink).toBeInstanceOf(S3ProductSink);
    expect(sink).toMatchObject({ bucketName: 'b' });
  });

  it('is DATA_DIR/exports when EXPORT_SINK is local-directory, even with a bucket set', () => {
    const config = loadConfig({
      APP_MODE: 'local',
      DATA_DIR: '/tmp/app-data',
      EXPORT_SINK: 'local-directory',
      EXPORT_BUCKET_NAME: 'b',
    });
    const sink = createProductSink(config, aws);

    expect(sink).toBeInstanceOf(LocalDirectoryProductSink);
    expect(sink).toMatchObject({ directory: join('/tmp/app-data', 'exports') });
  });

  it('stops at start on an S3 sink without a bucket, naming the setting', () => {
    expect(() => createProductSink(loadConfig({ APP_MODE: 'local', EXPORT_SINK: 's3' }), aws)).toThrow(
      'EXPORT_BUCKET_NAME is required',
    );
  });
});
