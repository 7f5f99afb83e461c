/**
 * The body of a sync queue message, as the dispatch (and a run that continues itself) sends it and the worker reads
 * it. The deduplication id and the message group travel beside the body, as SQS attributes.
 */

export const SYNC_KINDS = ['scheduled', 'continuation', 'reconcile'] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

/**
 * One piece of work for one PIM: a scheduled sync, the continuation of a sync run that stopped for lack of time, or
 * a reconciliation pass (the listing of every product the app can see, to find the deleted ones). A `reconcile`
 * message with a run id continues that pass only. All share the PIM's message group: never two at once for a PIM.
 */
export interface SyncMessageBody {
  readonly pimHost: string;
  readonly kind: SyncKind;
  /** A continuation resumes this run (or pass) only: if it already ended, the message has nothing to do. */
  readonly runId?: string;
}

export function encodeSyncMessage({ pimHost, kind, runId }: SyncMessageBody): string {
  return JSON.stringify(runId === undefined ? { pimHost, kind } : { pimHost, kind, runId });
}

/**
 * Reads a body back. A body without `kind` is a scheduled sync (an operator may send `{"pimHost": "…"}` by hand to
 * sync one PIM now); anything else that is not a body this module wrote is refused with the reason.
 */
export function decodeSyncMessage(text: string): SyncMessageBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error('A sync message that is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error('A sync message that is not a JSON object');
  }
  const { pimHost, kind = 'scheduled', runId } = body as Record<string, unknown>;
  if (typeof pimHost !== 'string' || pimHost === '') throw new Error('A sync message without a PIM host');
  if (!(SYNC_KINDS as readonly unknown[]).includes(kind)) {
    throw new Error(
      `A sync message of an unknown kind (expected ${SYNC_KINDS.slice(0, -1).join(', ')} or ${SYNC_KINDS.at(-1)})`,
    );
  }
  if (runId !== undefined && (typeof runId !== 'string' || runId === '')) {
    throw new Error('A sync message whose run id is not a string');
  }
  if (kind === 'continuation' && runId === undefined) throw new Error('A continuation sync message without its run id');
  return { pimHost, kind: kind as SyncKind, ...(runId === undefined ? {} : { runId }) };
}
