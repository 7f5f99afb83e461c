import type { StoredSubscription } from './model';
import { type PostResult, postBody } from './outbound-post';
import type { PendingWork } from './pending-work';
import { signedHeaders } from './signing';
import type { DeliveryOutcome, EventDeliveryRecord } from './types';

/** Akeneo's retries of a transient failure: +5, +10, +20 minutes, then the event is dropped. */
const RETRY_DELAYS_MS = [5 * 60_000, 10 * 60_000, 20 * 60_000];
/** The success-rate rule: below 90 % over a rolling hour suspends the subscription. */
const SUCCESS_WINDOW_MS = 60 * 60_000;
const MIN_SUCCESS_RATE = 0.9;
/**
 * Akeneo does not say how many deliveries the rate needs; the sandbox waits for 10 in the hour, so that one failed
 * first delivery does not suspend a subscription.
 */
const MIN_SAMPLE = 10;

/** One CloudEvent on its way to one subscription. */
export interface QueuedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly productUuid: string;
  readonly subscriptionId: string;
  /** The exact bytes sent and signed, the same on every attempt. */
  readonly body: Buffer;
  /** The attempt this is: 1, then 2 to 4 for the retries. */
  readonly attempt: number;
  /** Held back behind the next waiting event (the `reorder` and `duplicate` faults). */
  holdBehindNext: boolean;
}

export interface EventDeliverySettings {
  readonly work: PendingWork;
  readonly log: EventDeliveryRecord[];
  readonly retryScale: number;
  readonly timeoutMs: number;
  subscription(id: string): StoredSubscription | undefined;
  /** The platform suspends it and tells the subscriber (`subscription.suspended.system`). */
  suspend(subscription: StoredSubscription, reason: string): void;
}

type Verdict = { kind: 'delivered' } | { kind: 'suspend'; reason: string } | { kind: 'retry'; counts: boolean };

function verdictOf(result: PostResult): Verdict {
  if (typeof result === 'number' && result >= 200 && result < 300) return { kind: 'delivered' };
  if (result === 404) return { kind: 'suspend', reason: 'The destination answered 404 Not Found.' };
  if (typeof result === 'number' && result >= 300 && result < 400) {
    return { kind: 'suspend', reason: `The destination answered ${result}: redirections are not followed.` };
  }
  // A 429 slows the platform down; it only counts against the success rate once the event is dropped.
  return { kind: 'retry', counts: result !== 429 };
}

/**
 * Delivers product events to https subscriptions, one at a time per subscription in the order they were emitted
 * (retries go to the back of the queue), with Akeneo's retry schedule, immediate suspension on 404 or 3xx, and the
 * success-rate suspension.
 */
export class EventDelivery {
  private readonly queues = new Map<string, QueuedEvent[]>();
  private readonly draining = new Set<string>();
  /** Per subscription: when each counted delivery ended and whether it succeeded. */
  private readonly outcomes = new Map<string, { atMs: number; ok: boolean }[]>();
  private readonly queuedWork = new WeakMap<QueuedEvent, () => void>();

  constructor(private readonly settings: EventDeliverySettings) {}

  enqueue(event: QueuedEvent): void {
    if (this.settings.work.closed) return;
    this.queuedWork.set(event, this.settings.work.begin());
    const queue = this.queues.get(event.subscriptionId) ?? [];
    queue.push(event);
    this.queues.set(event.subscriptionId, queue);
    this.drain(event.subscriptionId);
  }

  /** Forgets the success rate, so a resumed subscription starts afresh. */
  resetSuccessRate(subscriptionId: string): void {
    this.outcomes.delete(subscriptionId);
  }

  private drain(subscriptionId: string): void {
    if (this.draining.has(subscriptionId)) return;
    this.draining.add(subscriptionId);
    const end = this.settings.work.begin();
    // Starts on the next turn, so the events emitted together are all queued (and can be reordered) first.
    setImmediate(() => {
      void this.deliverQueue(subscriptionId).finally(() => {
        this.draining.delete(subscriptionId);
        // An event queued between the last delivery and now would otherwise wait for the next one.
        if ((this.queues.get(subscriptionId)?.length ?? 0) > 0) this.drain(subscriptionId);
        end();
      });
    });
  }

  private async deliverQueue(subscriptionId: string): Promise<void> {
    const queue = this.queues.get(subscriptionId) ?? [];
    while (queue.length > 0 && !this.settings.work.closed) {
      let event = queue.shift() as QueuedEvent;
      const next = queue[0];
      if (event.holdBehindNext && next !== undefined) {
        event.holdBehindNext = false;
        queue[0] = event;
        event = next;
      }
      try {
        await this.attempt(event);
      } finally {
        this.queuedWork.get(event)?.();
      }
    }
    if (queue.length === 0) this.queues.delete(subscriptionId);
  }

  private async attempt(event: QueuedEvent): Promise<void> {
    const { settings } = this;
    const subscription = settings.subscription(event.subscriptionId);
    // A suspended, revoked or deleted subscription loses the events waiting for it.
    if (subscription?.status !== 'active') return;
    const { config } = subscription;
    const headers = { ...signedHeaders(event.body, config.secret), ...config.headers };
    const result = await postBody(config.url, event.body, headers, settings.timeoutMs, settings.work.signal);
    if (settings.work.closed) return;
    const verdict = verdictOf(result);
    const record = (outcome: DeliveryOutcome, retryInMs?: number) =>
      settings.log.push({
        eventId: event.eventId,
        type: event.type,
        subscriptionId: event.subscriptionId,
        productUuid: event.productUuid,
        attempt: event.attempt,
        result,
        outcome,
        ...(retryInMs === undefined ? {} : { retryInMs }),
      });
    if (verdict.kind === 'delivered') {
      this.count(subscription.id, true);
      record('delivered');
      return;
    }
    if (verdict.kind === 'suspend') {
      record('subscription-suspended');
      settings.suspend(subscription, verdict.reason);
      return;
    }
    const lastAttempt = event.attempt > RETRY_DELAYS_MS.length;
    if (verdict.counts || lastAttempt) this.count(subscription.id, false);
    if (this.successRateTooLow(subscription.id)) {
      record('subscription-suspended');
      settings.suspend(subscription, 'Success rate dropped below 90%');
      return;
    }
    if (lastAttempt) {
      record('dropped');
      return;
    }
    const retryInMs = (RETRY_DELAYS_MS[event.attempt - 1] as number) * settings.retryScale;
    record('retry-scheduled', retryInMs);
    settings.work.after(retryInMs, () => this.enqueue({ ...event, attempt: event.attempt + 1, holdBehindNext: false }));
  }

  private count(subscriptionId: string, ok: boolean): void {
    const now = performance.now();
    const recent = (this.outcomes.get(subscriptionId) ?? []).filter(({ atMs }) => now - atMs < SUCCESS_WINDOW_MS);
    recent.push({ atMs: now, ok });
    this.outcomes.set(subscriptionId, recent);
  }

  private successRateTooLow(subscriptionId: string): boolean {
    const recent = this.outcomes.get(subscriptionId) ?? [];
    if (recent.length < MIN_SAMPLE) return false;
    return recent.filter(({ ok }) => ok).length / recent.length < MIN_SUCCESS_RATE;
  }
}
