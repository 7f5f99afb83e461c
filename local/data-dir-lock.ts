import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../functions/core/errors';

/** Another live process works on this data directory: its database files are locked, its files would be overwritten. */
export class DataDirInUseError extends AppError {
  readonly code = 'data_dir_in_use';
}

interface LockContent {
  readonly pid: number;
  /** What the holder runs, for the person told to stop it: `npm start`, `npm run sync`… */
  readonly command: string;
  /** Tells this holder's lock from a later one, so a release never removes someone else's. */
  readonly token: string;
}

const lockPath = (dataDir: string) => join(dataDir, 'data-dir.lock');

/**
 * Takes the data directory for this process, or throws `DataDirInUseError` naming the live process that has it.
 * A lock left by a process that is gone (killed, crashed) is taken over. Returns the function that releases it.
 */
export function lockDataDir(dataDir: string, command: string): () => Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = lockPath(dataDir);
  const mine: LockContent = { pid: process.pid, command, token: randomBytes(16).toString('hex') };
  // Written whole beside the lock, then linked in place: the lock appears at once and complete, or not at all.
  const draft = `${path}.${process.pid}.${mine.token}`;
  writeFileSync(draft, JSON.stringify(mine), { mode: 0o600, flag: 'wx' });
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        linkSync(draft, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = readLock(path);
      if (holder && isAlive(holder.pid)) {
        throw new DataDirInUseError(
          `The data directory ${dataDir} is in use by process ${holder.pid} (${holder.command}). Stop it first, or use another DATA_DIR.`,
        );
      }
      // Its holder is gone (or it was never readable): remove it and try once more. Two processes doing this at
      // the very same moment is the one case this lock does not cover.
      if (attempt > 0) throw new DataDirInUseError(`Could not take the lock ${path}: remove it if no npm start runs`);
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(draft, { force: true });
  }
  return async () => {
    if (readLock(path)?.token === mine.token) rmSync(path, { force: true });
  };
}

function readLock(path: string): LockContent | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockContent;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, it belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
