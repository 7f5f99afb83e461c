import type { Logger } from '@aws-lambda-powertools/logger';
import type { EventPlatformStateStore } from '../adapters/connection-store';

/** The connection's reason once the Event Platform said the app was removed (shown by the status and the page). */
export const REMOVED_FROM_PIM = 'removed from the PIM';

export interface OffboardPimDeps {
  readonly store: Pick<EventPlatformStateStore, 'offboard'>;
  readonly logger: Pick<Logger, 'info'>;
}

/**
 * The app was removed from the PIM (a verified `subscription.revoked` for the stored subscription): the connection is
 * revoked (the dispatch stops queueing it), its encrypted token is deleted with the data key it holds, and one audit
 * line says so. The PIM's credentials stay until ops remove them; who connected and when stay on the connection.
 * Returns false when there was nothing to do (another subscription by now, or already offboarded).
 */
export async function offboardPim(
  deps: OffboardPimDeps,
  pimHost: string,
  subscriptionId: string,
  at: Date,
): Promise<boolean> {
  const offboarded = await deps.store.offboard(pimHost, {
    subscriptionId,
    reason: REMOVED_FROM_PIM,
    at: at.toISOString(),
  });
  if (offboarded) {
    deps.logger.info('PIM offboarded', { audit: true, pimHost, reason: REMOVED_FROM_PIM, subscriptionId });
  }
  return offboarded;
}
