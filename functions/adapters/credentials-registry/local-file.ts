import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseCredentials } from './credentials-value';
import { MalformedCredentialsError } from './errors';
import type { CredentialsRegistry, PimCredentials } from './interface';

export interface RegisteredPim extends PimCredentials {
  readonly pimUrl: string;
  readonly updatedAt: string;
}

interface CredentialsFile {
  readonly pims: Record<string, RegisteredPim>;
}

/**
 * Credentials in one JSON file (mode 0600) under the data directory, for local runs. Read on every lookup,
 * so a change made with `npm run pim` applies at once.
 */
export class LocalFileCredentialsRegistry implements CredentialsRegistry {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'credentials.json');
  }

  async get(pimHost: string): Promise<PimCredentials | undefined> {
    const entry = this.read().pims[pimHost];
    return entry ? parseCredentials(entry, `the entry ${pimHost} of ${this.path}`) : undefined;
  }

  list(): Array<RegisteredPim & { pimHost: string }> {
    return Object.entries(this.read().pims)
      .map(([pimHost, entry]) => ({ pimHost, ...entry }))
      .sort((a, b) => a.pimHost.localeCompare(b.pimHost));
  }

  put(pimHost: string, entry: RegisteredPim): void {
    const file = this.read();
    this.write({ pims: { ...file.pims, [pimHost]: entry } });
  }

  remove(pimHost: string): boolean {
    const { [pimHost]: removed, ...rest } = this.read().pims;
    if (!removed) return false;
    this.write({ pims: rest });
    return true;
  }

  private read(): CredentialsFile {
    if (!existsSync(this.path)) return { pims: {} };
    let parsed: Partial<CredentialsFile> | null;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<CredentialsFile> | null;
    } catch (error) {
      // The parser's message quotes the file's text, secrets included: name the file instead, and keep no cause.
      if (error instanceof SyntaxError) throw new MalformedCredentialsError(`the file ${this.path}`);
      throw error;
    }
    return { pims: parsed?.pims ?? {} };
  }

  private write(file: CredentialsFile): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.path);
  }
}
