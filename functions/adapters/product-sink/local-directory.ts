import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileManifestLocation } from '../../contract/run-completed-event';
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

/** The S3 layout under a local directory (`DATA_DIR/exports/`), for local runs. */
export class LocalDirectoryProductSink implements ProductSink {
  constructor(readonly directory: string) {}

  async writePart(run: RunRef, partNumber: number, products: readonly unknown[]): Promise<void> {
    await this.write(run, partName(partNumber), toNdjson(products));
  }

  async writeDeleted(run: RunRef, uuids: readonly string[]): Promise<void> {
    await this.write(run, DELETED_NAME, deletedNdjson(uuids));
  }

  completeRun(run: RunRef, summary: RunSummary): Promise<FileManifestLocation> {
    return this.writeManifest(run, manifestText(manifestOf(run, summary)));
  }

  async writeDeletedPart(run: RunRef, partNumber: number, uuids: readonly string[]): Promise<void> {
    await this.write(run, deletedPartName(partNumber), deletedNdjson(uuids));
  }

  completeReconciliation(run: RunRef, summary: ReconciliationSummary): Promise<FileManifestLocation> {
    return this.writeManifest(run, manifestText(reconciliationManifestOf(run, summary)));
  }

  private async writeManifest(run: RunRef, text: string): Promise<FileManifestLocation> {
    const path = resolve(await this.write(run, MANIFEST_NAME, text));
    return { path, uri: pathToFileURL(path).href };
  }

  /** Written aside, then renamed: a reader never sees half a part. Returns the file's path. */
  private async write(run: RunRef, name: string, content: string | Buffer): Promise<string> {
    const directory = join(this.directory, runPrefix(run));
    await mkdir(directory, { recursive: true });
    const path = join(directory, name);
    await writeFile(`${path}.tmp`, content);
    await rename(`${path}.tmp`, path);
    return path;
  }
}
