import { InvalidPimRequestError } from './akeneo/rest-errors';
import { loadConfig } from './config';
import {
  RUN_COMPLETED_DETAIL_TYPE,
  RUN_COMPLETED_SOURCE,
  RUN_COMPLETED_VERSION,
  type RunCompletedEvent,
} from './contract/run-completed-event';
import type { PimWorkOutcome } from './pim-access';
import type { NamingReport } from './use-cases/name-products-with-sku';
import { lazyHandler } from './wiring/lazy-handler';
import { createNameWithSkuDeps, type NameWithSkuDeps } from './wiring/name-with-sku';

export type NameWithSkuHandler = (event: RunCompletedEvent) => Promise<PimWorkOutcome<NamingReport>>;

/**
 * The worked example of a downstream worker (README, "Write your own worker"): on each `Sync Run Completed` event of
 * the app's bus, the products of the run's window get their SKU at the end of their English name. It cannot loop:
 * its writes make the next sync export those products again, and the next event brings them back here, but their
 * names already end with their SKU, so nothing more is written.
 *
 * A PIM that cannot be called (disconnected, a scope missing) is logged and the event is done with: a retry would
 * meet the same answer. Anything else throws, and Lambda's asynchronous retries try the event again.
 */
export const makeNameWithSkuHandler =
  ({ nameProducts, logger }: NameWithSkuDeps): NameWithSkuHandler =>
  async (event) => {
    const { pimHost, runId, window } = runOf(event);
    const outcome = await nameProducts({ pimHost, ...(window.from ? { updatedAfter: window.from } : {}) });
    if (outcome.status === 'done') {
      logger.info('Names with SKU written', { pimHost, runId, ...outcome.value });
    } else {
      logger.warn('The PIM cannot be called: nothing written', {
        pimHost,
        runId,
        status: outcome.status,
        reason: outcome.reason,
      });
    }
    return outcome;
  };

/** The run the event tells of; an event of another kind or shape is refused with what it should be. */
function runOf(event: RunCompletedEvent): RunCompletedEvent['detail'] {
  const detail = event?.detail;
  if (
    event?.source !== RUN_COMPLETED_SOURCE ||
    event['detail-type'] !== RUN_COMPLETED_DETAIL_TYPE ||
    detail?.version !== RUN_COMPLETED_VERSION ||
    typeof detail.pimHost !== 'string' ||
    typeof detail.window?.to !== 'string'
  ) {
    throw new InvalidPimRequestError(
      `Expected a "${RUN_COMPLETED_DETAIL_TYPE}" event of ${RUN_COMPLETED_SOURCE}, version ${RUN_COMPLETED_VERSION}`,
    );
  }
  return detail;
}

export const handler: NameWithSkuHandler = lazyHandler(() =>
  makeNameWithSkuHandler(createNameWithSkuDeps(loadConfig(process.env))),
);
