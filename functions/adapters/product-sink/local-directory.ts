import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProductSink, RunRef, RunSummary } from './interface';
import { MANIFEST_NAME, manifestText, partName, runPrefix, toNdjson } from './layout';

/** The S3 layout under a local directory (`DATA_DIR/exports/`), for local runs. */
export class LocalDirectoryProductSink implements ProductSink {
  constructor(readonly directory: string) {}

  async writePart(run: RunRef, partNumber: number, products: readonly unknown[]): Promise<void> {
    await this.write(run, partName(partNumber), toNdjson(products));
  }

  async completeRun(run: RunRef, summary: RunSummary): Promise<void> {
    await this.write(run, MANIFEST_NAME, manifestText(run, summary));
  }

  /** Written aside, then renamed: a reader never sees half a part. */
  private async write(run: RunRef, name: string, content: string): Promise<void> {
    const directory = join(this.directory, runPrefix(run));
    await mkdir(directory, { recursive: true });
    const path = join(directory, name);
    await writeFile(`${path}.tmp`, content);
    await rename(`${path}.tmp`, path);
  }
}
