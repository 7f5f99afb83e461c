import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileManifestLocation } from '../../contract/run-completed-event';
import type { ProductSink, RunRef, RunSummary } from './interface';
import { DELETED_NAME, deletedNdjson, MANIFEST_NAME, manifestText, partName, runPrefix, toNdjson } from './layout';

/** The S3 layout under a local directory (`DATA_DIR/exports/`), for local runs. */
export class LocalDirectoryProductSink implements ProductSink {
  constructor(readonly directory: string) {}

  async writePart(run: RunRef, partNumber: number, products: readonly unknown[]): Promise<void> {
    await this.write(run, partName(partNumber), toNdjson(products));
  }

  async writeDeleted(run: RunRef, uuids: readonly string[]): Promise<void> {
    await this.write(run, DELETED_NAME, deletedNdjson(uuids));
  }

  async completeRun(run: RunRef, summary: RunSummary): Promise<FileManifestLocation> {
    const path = resolve(await this.write(run, MANIFEST_NAME, manifestText(run, summary)));
    return { path, uri: pathToFileURL(path).href };
  }

  /** Written aside, then renamed: a reader never sees half a part. Returns the file's path. */
  private async write(run: RunRef, name: string, content: string): Promise<string> {
    const directory = join(this.directory, runPrefix(run));
    await mkdir(directory, { recursive: true });
    const path = join(directory, name);
    await writeFile(`${path}.tmp`, content);
    await rename(`${path}.tmp`, path);
    return path;
  }
}
