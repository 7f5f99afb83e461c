import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Receives before a message goes to the dead-letter queue: a few retries of a run, then ops look at it. */
export const SYNC_MAX_RECEIVE_COUNT = 3;

export interface SyncQueueProps {
  /** The worker's timeout: the visibility timeout is six times it, as AWS advises for an SQS event source. */
  readonly workerTimeout: Duration;
}

/**
 * The FIFO queue of sync runs: the PIM host is the message group, so one PIM syncs in one worker at a time across
 * all Lambdas, while other PIMs run in parallel. The dispatch sets the deduplication id (PIM and schedule slot).
 */
export class SyncQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: SyncQueueProps) {
    super(scope, id);
    const common = {
      fifo: true,
      contentBasedDeduplication: false,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    } as const;
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      ...common,
      // The longest SQS allows: time for ops to read a failed run before it is gone.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      ...common,
      visibilityTimeout: Duration.seconds(props.workerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: SYNC_MAX_RECEIVE_COUNT },
    });
  }
}
