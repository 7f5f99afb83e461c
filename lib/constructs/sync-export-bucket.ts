import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type BucketProps, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';

export interface SyncExportBucketProps {
  /** How long an export stays before S3 deletes it. */
  readonly exportRetention: Duration;
  /** How long the S3 access logs of the exports stay. */
  readonly accessLogRetention: RetentionDays;
  /** `DESTROY` also empties both buckets on stack deletion. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Where the sync worker writes each PIM's products (`<pim host>/products/<run id>/...`), with a second bucket for
 * its S3 access logs: the exports are customers' catalog data, so who read or wrote them stays on record.
 */
export class SyncExportBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: SyncExportBucketProps) {
    super(scope, id);
    // Log delivery through a bucket policy, not the legacy log-delivery ACL; set here so the app needs no flag.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;
    // SSE-S3: the worker needs no KMS right to write (its only KMS right is decrypting tokens), and S3 access-log
    // delivery supports no other encryption.
    const common: BucketProps = {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: destroy,
    };

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...common,
      lifecycleRules:
        props.accessLogRetention === RetentionDays.INFINITE
          ? []
          : [{ id: 'expire-access-logs', expiration: Duration.days(props.accessLogRetention) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the access-log target of the export bucket; logging its own access would log the log ' +
        'deliveries. Only S3 log delivery writes to it.',
    });

    this.bucket = new Bucket(this, 'Exports', {
      ...common,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'exports/',
      lifecycleRules: [
        {
          id: 'expire-exports',
          expiration: props.exportRetention,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }
}
