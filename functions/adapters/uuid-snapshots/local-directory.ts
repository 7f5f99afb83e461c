import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SnapshotRef, UuidSnapshots } from './interface';
import { parseSnapshotText, snapshotPartKey, snapshotText } from './layout';

/** The S3 layout under the local export directory (`DATA_DIR/exports/`). */
export class LocalDirectoryUuidSnapshots implements UuidSnapshots {
  constructor(readonly directory: string) {}

  async writePart(snapshot: SnapshotRef, partNumber: number, uuids: readonly string[]): Promise<void> {
    const path = join(this.directory, snapshotPartKey(snapshot, partNumber));
    await mkdir(dirname(path), { recursive: true });
    // Written aside, then renamed: a reader never sees half a part.
    await writeFile(`${path}.tmp`, snapshotText(uuids));
    await rename(`${path}.tmp`, path);
  }

  async readPart(snapshot: SnapshotRef, partNumber: number): Promise<string[]> {
    return parseSnapshotText(await readFile(join(this.directory, snapshotPartKey(snapshot, partNumber)), 'utf8'));
  }
}
