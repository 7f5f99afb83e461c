import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SnapshotRef, UuidSnapshots } from './interface';
import { parseSnapshotText, snapshotPartKey, snapshotText } from './layout';

export interface S3UuidSnapshotsOptions {
  readonly client: S3Client;
  readonly bucketName: string;
}

/** Snapshot parts in the export bucket, under `<pim host key>/reconciliation/`. */
export class S3UuidSnapshots implements UuidSnapshots {
  readonly bucketName: string;
  private readonly client: S3Client;

  constructor({ client, bucketName }: S3UuidSnapshotsOptions) {
    this.client = client;
    this.bucketName = bucketName;
  }

  async writePart(snapshot: SnapshotRef, partNumber: number, uuids: readonly string[]): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucketName,
        Key: snapshotPartKey(snapshot, partNumber),
        Body: snapshotText(uuids),
        ContentType: 'text/plain',
      }),
    );
  }

  async readPart(snapshot: SnapshotRef, partNumber: number): Promise<string[]> {
    const key = snapshotPartKey(snapshot, partNumber);
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucketName, Key: key }));
      return parseSnapshotText((await Body?.transformToString('utf-8')) ?? '');
    } catch (error) {
      if (error instanceof NoSuchKey) {
        throw new Error(`The reconciliation snapshot part ${key} is missing from ${this.bucketName}`, { cause: error });
      }
      throw error;
    }
  }
}
