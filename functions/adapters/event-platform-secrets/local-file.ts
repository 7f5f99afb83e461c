import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pimHostKey } from '../../contract/names';
import type { EventPlatformSecrets, WritableEventPlatformSecretStore } from './interface';
import { parseSecrets, serialiseSecrets } from './secrets-value';

/**
 * Each PIM's Event Platform secrets in its own file (mode 0600) under `DATA_DIR/event-platform-secrets/` (mode
 * 0700), for local runs. A file appears whole or not at all (written aside, then linked or renamed into place), so
 * a reader never sees half of one, and of two processes creating the same PIM's file at once, one wins.
 */
export class LocalFileEventPlatformSecretStore implements WritableEventPlatformSecretStore {
  readonly directory: string;

  constructor(dataDir: string) {
    this.directory = join(dataDir, 'event-platform-secrets');
  }

  async get(pimHost: string): Promise<EventPlatformSecrets | undefined> {
    const path = this.pathOf(pimHost);
    if (!existsSync(path)) return undefined;
    return parseSecrets(readFileSync(path, 'utf8'), `the file ${path}`);
  }

  async ensure(pimHost: string, generate: () => EventPlatformSecrets): Promise<EventPlatformSecrets> {
    const stored = await this.get(pimHost);
    if (stored) return stored;
    const path = this.pathOf(pimHost);
    const aside = this.writeAside(path, generate());
    try {
      linkSync(aside, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(aside);
    }
    return parseSecrets(readFileSync(path, 'utf8'), `the file ${path}`);
  }

  async put(pimHost: string, secrets: EventPlatformSecrets): Promise<void> {
    const path = this.pathOf(pimHost);
    if (!existsSync(path)) throw new Error(`${pimHost} has no Event Platform secrets in ${this.directory} to replace`);
    renameSync(this.writeAside(path, secrets), path);
  }

  private pathOf(pimHost: string): string {
    return join(this.directory, `${pimHostKey(pimHost)}.json`);
  }

  private writeAside(path: string, secrets: EventPlatformSecrets): string {
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    const aside = `${path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(aside, `${serialiseSecrets(secrets)}\n`, { mode: 0o600, flag: 'wx' });
    return aside;
  }
}
