import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { loadConfig } from './config';
import { decodeSyncMessage } from './contract/sync-message';
import { asAppError, reasonOf } from './core/errors';
import { type AppMetrics, flushingMetrics, METRIC_NAMES } from './observability/metrics';
import type { ReconcileOutcome } from './use-cases/reconcile-products';
import type { SyncOutcome } from './use-cases/sync-products';
import { lazyHandler } from './wiring/lazy-handler';
import { createSyncWorkerDeps, type SyncWorkerHandlerDeps } from './wiring/sync-worker';

export type SyncWorkerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

// A stored URL that would send the token elsewhere is a security event, not a PIM's decision.
const LOG_LEVELS: Record<SyncOutcome['kind'], 'info' | 'warn' | 'error'> = {
  completed: 'info',
  continued: 'info',
  skipped: 'info',
  revoked: 'warn',
  scope_missing: 'warn',
  pim_url_mismatch: 'error',
  // The PIM user disabled the app's catalog: nothing to read until they enable it again.
  catalog_disabled: 'warn',
};

const RETRIED = 'SQS retries the message, then moves it to the dead-letter queue after 3 receives';
const NEXT_AFTER_FAILURE = `Nothing lost: the cursor did not move and any checkpoint stays; ${RETRIED}`;
const NEXT_AFTER_COMPLETE_RUN =
  'Nothing lost: the run is complete and the cursor moved; its event waits on the connection and is published ' +
  `before anything else on the next message for this PIM; ${RETRIED}`;

/**
 * SQS FIFO: one PIM's sync (or reconciliation pass) per message. A message that throws (the PIM kept failing, say) is reported as a batch
 * item failure, retried by SQS, and moved to the dead-letter queue after a few receives.
 */
export const makeSyncWorkerHandler =
  (deps: SyncWorkerHandlerDeps): SyncWorkerHandler =>
  (event, context) =>
    flushingMetrics(deps.metrics, () =>
      processPartialResponse(
        event,
        async (record: SQSRecord) => {
          const message = decodeSyncMessage(record.body);
          let outcome: SyncOutcome | ReconcileOutcome;
          const input = {
            pimHost: message.pimHost,
            runId: message.runId,
            timeLeftMs: () => context.getRemainingTimeInMillis(),
          };
          try {
            outcome =
              message.kind === 'reconcile' ? await deps.reconcileProducts(input) : await deps.syncProducts(input);
          } catch (error) {
            const failure = asAppError(error);
            if (message.kind !== 'reconcile') deps.metrics?.countByCode(METRIC_NAMES.syncRunFailed, failure.code);
            deps.logger.error(message.kind === 'reconcile' ? 'Reconciliation failed' : 'Sync failed', {
              pimHost: message.pimHost,
              kind: message.kind,
              ...(message.runId ? { runId: message.runId } : {}),
              errorCode: failure.code,
              reason: reasonOf(failure),
              next: failure.code === 'run_event_pending' ? NEXT_AFTER_COMPLETE_RUN : NEXT_AFTER_FAILURE,
            });
            throw error;
          }
          if (message.kind !== 'reconcile') countOutcome(deps.metrics, outcome as SyncOutcome);
          const level = LOG_LEVELS[outcome.kind];
          const what = message.kind === 'reconcile' ? 'Reconciliation' : 'Sync';
          deps.logger[level](`${what} ${outcome.kind}`, { pimHost: message.pimHost, ...outcome });
        },
        new SqsFifoPartialProcessorAsync(),
        // A failed PIM is reported back to SQS (retried, then dead-lettered), not thrown as a Lambda error.
        { context, throwOnFullBatchFailure: false },
      ),
    );

function countOutcome(metrics: AppMetrics | undefined, outcome: SyncOutcome): void {
  if (outcome.kind === 'completed') metrics?.count(METRIC_NAMES.syncRunCompleted);
  else if (outcome.kind === 'continued') metrics?.count(METRIC_NAMES.syncRunContinued);
  else if (outcome.kind === 'catalog_disabled') metrics?.countByCode(METRIC_NAMES.syncConnectionRefused, outcome.kind);
  else if (outcome.kind !== 'skipped' && outcome.marked) {
    metrics?.countByCode(METRIC_NAMES.syncConnectionRefused, outcome.kind);
  }
}

export const handler: SyncWorkerHandler = lazyHandler(() =>
  makeSyncWorkerHandler(createSyncWorkerDeps(loadConfig(process.env))),
);
