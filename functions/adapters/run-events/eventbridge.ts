import { type EventBridgeClient, PutEventsCommand, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import {
  RECONCILIATION_COMPLETED_DETAIL_TYPE,
  type ReconciliationCompletedDetail,
} from '../../contract/reconciliation-completed-event';
import {
  RUN_COMPLETED_DETAIL_TYPE,
  RUN_COMPLETED_SOURCE,
  type RunCompletedDetail,
} from '../../contract/run-completed-event';
import type { RunEvents } from './interface';

/** Pauses before sending a refused entry again: EventBridge refuses an entry when throttled or failing inside. */
const RETRY_DELAYS_MS = [200, 1_000];

export interface EventBridgeRunEventsOptions {
  readonly client: EventBridgeClient;
  readonly busName: string;
  /** One pause per retry of a refused entry. @default RETRY_DELAYS_MS */
  readonly retryDelaysMs?: readonly number[];
}

/**
 * PutEvents on the app's bus. A call can succeed while its entry fails (`FailedEntryCount`): the entry is sent
 * again a bounded number of times, then the publish fails with EventBridge's error code.
 */
export class EventBridgeRunEvents implements RunEvents {
  readonly busName: string;
  private readonly client: EventBridgeClient;
  private readonly retryDelaysMs: readonly number[];

  constructor({ client, busName, retryDelaysMs = RETRY_DELAYS_MS }: EventBridgeRunEventsOptions) {
    this.client = client;
    this.busName = busName;
    this.retryDelaysMs = retryDelaysMs;
  }

  publishRunCompleted(detail: RunCompletedDetail): Promise<void> {
    return this.publish(RUN_COMPLETED_DETAIL_TYPE, detail);
  }

  publishReconciliationCompleted(detail: ReconciliationCompletedDetail): Promise<void> {
    return this.publish(RECONCILIATION_COMPLETED_DETAIL_TYPE, detail);
  }

  private async publish(detailType: string, detail: RunCompletedDetail | ReconciliationCompletedDetail): Promise<void> {
    const entry = {
      EventBusName: this.busName,
      Source: RUN_COMPLETED_SOURCE,
      DetailType: detailType,
      Detail: JSON.stringify(detail),
      Time: new Date(detail.completedAt),
    };
    let refused: PutEventsResultEntry | undefined;
    for (let attempt = 0; attempt <= this.retryDelaysMs.length; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, this.retryDelaysMs[attempt - 1]));
      const { FailedEntryCount = 0, Entries = [] } = await this.client.send(new PutEventsCommand({ Entries: [entry] }));
      if (FailedEntryCount === 0) return;
      refused = Entries[0];
    }
    throw new Error(
      `EventBridge refused the ${detailType} event of ${detail.pimHost}, run ${detail.runId}, on ${this.busName} ` +
        `${this.retryDelaysMs.length + 1} times: ${refused?.ErrorCode ?? 'no error code'} ` +
        `(${refused?.ErrorMessage ?? 'no message'})`,
    );
  }
}
