import { pimHostKey } from '../../contract/names';
import { SNAPSHOT_FOLDER } from '../../contract/snapshot-layout';
import type { SnapshotRef } from './interface';

export function snapshotPartKey({ pimHost, runId }: SnapshotRef, partNumber: number): string {
  return `${pimHostKey(pimHost)}/${SNAPSHOT_FOLDER}/${runId}/uuids-${String(partNumber).padStart(5, '0')}.txt`;
}

/** One UUID per line. */
export function snapshotText(uuids: readonly string[]): string {
  return uuids.map((uuid) => `${uuid}\n`).join('');
}

export function parseSnapshotText(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}
