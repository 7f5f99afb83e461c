/** How the sandbox plays Akeneo's Event Platform (akeneo-apps-platform.md §2.1). */
export interface EventPlatformOptions {
  /**
   * Time between creating or updating a subscription and its first deliveries: events before it are not delivered,
   * as on Akeneo, where "several minutes" pass. @default 0
   */
  activationDelayMs?: number;
  /**
   * Multiplies the platform's waits: the event retries (+5, +10, +20 minutes) and the notification retries (+1 s,
   * +2 s). 0.001 turns 5 minutes into 300 ms. @default 1
   */
  retryScale?: number;
  /** How long a destination has to answer (Akeneo: 5 s). @default 5000 */
  deliveryTimeoutMs?: number;
}

export type SubscriptionStatus = 'active' | 'suspended' | 'revoked';

/** A subscription as the sandbox holds it, secrets left out: for tests and the Connected apps page. */
export interface EventSubscriptionView {
  readonly id: string;
  readonly subscriberId: string;
  readonly status: SubscriptionStatus;
  /** Why it is suspended or revoked, as the notification's `reason` says it. */
  readonly statusReason?: string;
  readonly events: readonly string[];
  readonly url: string;
  readonly filter?: string;
  /** Epoch milliseconds from which its events are delivered (the activation delay). */
  readonly activeFrom: number;
}

/** What the result of one delivery attempt led to. */
export type DeliveryOutcome = 'delivered' | 'retry-scheduled' | 'dropped' | 'subscription-suspended';

/** One attempt to deliver a product event to a subscription's URL. */
export interface EventDeliveryRecord {
  readonly eventId: string;
  readonly type: string;
  readonly subscriptionId: string;
  readonly productUuid: string;
  /** 1 for the first attempt, 2 to 4 for the retries. */
  readonly attempt: number;
  /** The destination's HTTP status, or why there was none. */
  readonly result: number | 'timeout' | 'network-error';
  readonly outcome: DeliveryOutcome;
  /** The wait before the next attempt, once scaled (retry-scheduled only). */
  readonly retryInMs?: number;
}

export type NotificationType =
  | 'subscription.suspended.system'
  | 'subscription.suspended.user'
  | 'subscription.revoked'
  | 'subscription.resumed';

/** One notification attempt on a subscriber's channel: a webhook POST, or the email the sandbox only records. */
export interface NotificationRecord {
  readonly notificationType: NotificationType;
  readonly subscriberId: string;
  readonly subscriptionId: string;
  readonly channel: 'webhook' | 'email';
  /** Webhook only: 1 to 3. */
  readonly attempt?: number;
  /** Webhook only: the HTTP status, or why there was none. */
  readonly result?: number | 'timeout' | 'network-error';
  /** `sent` is an email; `fallback-email` the email sent because every webhook attempt failed. */
  readonly outcome: 'delivered' | 'retry-scheduled' | 'failed' | 'sent' | 'fallback-email';
}

/**
 * What the next product event deliveries do instead of the usual, one fault per delivery (event × subscription), in
 * order. Both keep Akeneo's "at least once, possibly out of order":
 * - `duplicate`: the event is delivered, then delivered again (same body, same id) after the event that follows it;
 * - `reorder`: the event is held back and delivered after the event that follows it.
 * "The event that follows" is the next one already waiting for the same subscription (events changed together,
 * e.g. `touchProducts(2)`, wait together); when none waits, the event goes as usual.
 */
export type EventDeliveryFault = { kind: 'duplicate' } | { kind: 'reorder' };
