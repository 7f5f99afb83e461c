import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3ManifestLocation } from '../../contract/run-completed-event';
import type { ProductSink, ReconciliationSummary, RunRef, RunSummary } from './interface';
import {
  DELETED_NAME,
  deletedNdjson,
  deletedPartName,
  MANIFEST_NAME,
  manifestOf,
  manifestText,
  partName,
  reconciliationManifestOf,
  runPrefix,
  toNdjson,
} from './layout';

export interface S3ProductSinkOptions {
  readonly client: S3Client;
  readonly bucketName: string;
}

/**
 * NDJSON parts and a manifest in S3: `<pim host>/products/<run id>/part-00001.ndjson` (or `deleted-00001.ndjson` for a
 * reconciliation pass), then `manifest.json`.
 */
export class S3ProductSink implements ProductSink {
  readonly bucketName: string;
  private readonly client: S3Client;

  constructor({ client, bucketName }: S3ProductSinkOptions) {
    this.client = client;
    this.bucketName = bucketName;
  }

  async writePart(run: RunRef, partNumber: number, products: readonly unknown[]): Promise<void> {
    await this.put(`${runPrefix(run)}${partName(partNumber)}`, toNdjson(products), 'application/x-ndjson');
  }

  async writeDeleted(run: RunRef, uuids: readonly string[]): Promise<void> {
    await this.put(`${runPrefix(run)}${DELETED_NAME}`, deletedNdjson(uuids), 'application/x-ndjson');
  }

  completeRun(run: RunRef, summary: RunSummary): Promise<S3ManifestLocation> {
    return this.putManifest(run, manifestText(manifestOf(run, summary)));
  }

  async writeDeletedPart(run: RunRef, partNumber: number, uuids: readonly string[]): Promise<void> {
    await this.put(`${runPrefix(run)}${deletedPartName(partNumber)}`, deletedNdjson(uuids), 'application/x-ndjson');
  }

  completeReconciliation(run: RunRef, summary: ReconciliationSummary): Promise<S3ManifestLocation> {
    return this.putManifest(run, manifestText(reconciliationManifestOf(run, summary)));
  }

  private async putManifest(run: RunRef, text: string): Promise<S3ManifestLocation> {
    const key = `${runPrefix(run)}${MANIFEST_NAME}`;
    await this.put(key, text, 'application/json');
    return { bucket: this.bucketName, key, uri: `s3://${this.bucketName}/${key}` };
  }

  /** A string body goes as bytes too: the SDK's checksum, hash and socket write would each convert it. */
  private async put(key: string, body: string | Buffer, contentType: string): Promise<void> {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucketName, Key: key, Body: bytes, ContentType: contentType }),
    );
  }
}
