import type { SandboxStore } from '../sandbox-state';
import { EventDelivery } from './event-delivery';
import { type ProductChange, productEventType } from './event-types';
import { rfc3339Seconds, uuidV7 } from './ids';
import type { StoredSubscription } from './model';
import { Notifier } from './notifier';
import { PendingWork } from './pending-work';
import { type EventAuthor, productCloudEvent } from './product-events';
import { parseSubscriptionFilter, type SubscriptionFilter } from './subscription-filter';
import { SubscriptionRegistry } from './subscription-registry';
import type {
  EventDeliveryFault,
  EventDeliveryRecord,
  EventPlatformOptions,
  EventSubscriptionView,
  NotificationRecord,
  NotificationType,
} from './types';

const DEFAULT_DELIVERY_TIMEOUT_MS = 5000;
export const PERMISSION_REMOVED = "The Event Platform permission was removed from the app's connection settings.";
export const APP_REMOVED = 'The app was disconnected from the PIM.';

export interface EventPlatformSetup {
  readonly store: SandboxStore;
  /** `false`: a PIM without the Event Platform. */
  readonly options: EventPlatformOptions | false | undefined;
  /** The identifier of the product with this uuid, even just deleted (for `send_product_identifier`). */
  identifierOf(uuid: string): string | null | undefined;
}

function checkedNumber(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`The sandbox option eventPlatform.${name} must be a number >= ${min}, got ${value}`);
  }
  return value;
}

/**
 * The sandbox's Event Platform: who may subscribe, what happens to subscriptions (suspension, resumption,
 * revocation, each told to the subscriber), and the delivery of product events.
 */
export class EventPlatform {
  readonly enabled: boolean;
  readonly registry: SubscriptionRegistry;
  readonly deliveries: EventDeliveryRecord[] = [];
  readonly notifications: NotificationRecord[] = [];
  private readonly faults: EventDeliveryFault[] = [];
  private readonly work = new PendingWork();
  private readonly filters = new Map<string, SubscriptionFilter>();
  private readonly delivery: EventDelivery;
  private readonly notifier: Notifier;
  private readonly activationDelayMs: number;

  constructor(private readonly setup: EventPlatformSetup) {
    const options = setup.options === false ? {} : (setup.options ?? {});
    this.enabled = setup.options !== false;
    this.activationDelayMs = checkedNumber('activationDelayMs', options.activationDelayMs, 0, 0);
    const retryScale = checkedNumber('retryScale', options.retryScale, 1, 0);
    const timeoutMs = checkedNumber('deliveryTimeoutMs', options.deliveryTimeoutMs, DEFAULT_DELIVERY_TIMEOUT_MS, 1);
    this.registry = new SubscriptionRegistry(setup.store);
    this.notifier = new Notifier({
      work: this.work,
      log: this.notifications,
      nowSeconds: () => setup.store.nowSeconds(),
      retryScale,
      timeoutMs,
    });
    this.delivery = new EventDelivery({
      work: this.work,
      log: this.deliveries,
      retryScale,
      timeoutMs,
      subscription: (id) => this.registry.subscriptionById(id),
      suspend: (subscription, reason) => this.suspend(subscription, 'system', reason),
    });
  }

  /** When a subscription created or updated now starts receiving events. */
  activeFromNow(): number {
    return Date.now() + this.activationDelayMs;
  }

  /** Ticks or unticks the app's permission; unticking suspends its active subscriptions at once. */
  setPermission(clientId: string, granted: boolean): void {
    const had = this.registry.hasPermission(clientId);
    this.registry.setPermission(clientId, granted);
    if (!had || granted) return;
    for (const subscription of this.subscriptionsOfClient(clientId)) {
      this.suspend(subscription, 'system', PERMISSION_REMOVED);
    }
  }

  /** Active → suspended, told to the subscriber; false when it was not active. */
  suspend(subscription: StoredSubscription, by: 'system' | 'user', reason?: string): boolean {
    if (subscription.status !== 'active') return false;
    subscription.status = 'suspended';
    if (reason === undefined) delete subscription.statusReason;
    else subscription.statusReason = reason;
    this.registry.save();
    this.notify(
      subscription,
      by === 'system' ? 'subscription.suspended.system' : 'subscription.suspended.user',
      reason,
    );
    return true;
  }

  /** Suspended → active, told to the subscriber, with a fresh success rate; false when it was not suspended. */
  resume(subscription: StoredSubscription): boolean {
    if (subscription.status !== 'suspended') return false;
    subscription.status = 'active';
    delete subscription.statusReason;
    this.delivery.resetSuccessRate(subscription.id);
    this.registry.save();
    this.notify(subscription, 'subscription.resumed');
    return true;
  }

  /**
   * The app was removed from the PIM: its subscribers and all their subscriptions are revoked at once, each
   * subscription's subscriber is told (`subscription.revoked`), and the permission goes with the connection.
   */
  revokeApp(clientId: string): void {
    if (!this.enabled) return;
    const revoked: StoredSubscription[] = [];
    for (const subscriber of this.registry.subscribersOf(clientId)) {
      if (subscriber.status === 'revoked') continue;
      subscriber.status = 'revoked';
      for (const subscription of this.registry.subscriptionsOf(subscriber.id)) {
        subscription.status = 'revoked';
        subscription.statusReason = APP_REMOVED;
        revoked.push(subscription);
      }
    }
    this.registry.setPermission(clientId, false);
    for (const subscription of revoked) this.notify(subscription, 'subscription.revoked', APP_REMOVED);
  }

  /** One CloudEvent per product per active, activated subscription that asks for this type and whose filter matches. */
  productsChanged(change: ProductChange, uuids: readonly string[], author: EventAuthor): void {
    if (!this.enabled || uuids.length === 0) return;
    const type = productEventType(change);
    const now = Date.now();
    const subscriptions = this.registry
      .allSubscriptions()
      .filter(
        (subscription) =>
          subscription.status === 'active' &&
          subscription.events.includes(type) &&
          now >= subscription.activeFrom &&
          this.filterOf(subscription).matches(author),
      );
    if (subscriptions.length === 0) return;
    const time = rfc3339Seconds(this.setup.store.nowSeconds());
    for (const productUuid of uuids) {
      for (const subscription of subscriptions) {
        const identifier = subscription.sendProductIdentifier ? this.setup.identifierOf(productUuid) : undefined;
        const id = uuidV7();
        const event = productCloudEvent({
          id,
          type,
          subscriptionId: subscription.id,
          time,
          productUuid,
          ...(identifier ? { identifier } : {}),
          author,
        });
        const queued = { eventId: id, type, productUuid, subscriptionId: subscription.id, attempt: 1 };
        const body = Buffer.from(JSON.stringify(event));
        const fault = this.faults.shift();
        this.delivery.enqueue({ ...queued, body, holdBehindNext: fault?.kind === 'reorder' });
        if (fault?.kind === 'duplicate') this.delivery.enqueue({ ...queued, body, holdBehindNext: true });
      }
    }
  }

  injectFaults(faults: readonly EventDeliveryFault[]): void {
    for (const fault of faults) {
      if (fault.kind !== 'duplicate' && fault.kind !== 'reorder') {
        throw new Error(`Unknown event delivery fault ${JSON.stringify(fault)}`);
      }
    }
    this.faults.push(...faults.map((fault) => ({ ...fault })));
  }

  /** Subscriptions that receive events now, all apps together. */
  activeSubscriptionCount(): number {
    const now = Date.now();
    return this.registry
      .allSubscriptions()
      .filter((subscription) => subscription.status === 'active' && now >= subscription.activeFrom).length;
  }

  subscriptionViews(clientId: string): EventSubscriptionView[] {
    return this.registry.subscribersOf(clientId).flatMap((subscriber) =>
      this.registry.subscriptionsOf(subscriber.id).map((subscription) => ({
        id: subscription.id,
        subscriberId: subscriber.id,
        status: subscription.status,
        ...(subscription.statusReason === undefined ? {} : { statusReason: subscription.statusReason }),
        events: [...subscription.events],
        url: subscription.config.url,
        ...(subscription.filter === undefined ? {} : { filter: subscription.filter }),
        activeFrom: subscription.activeFrom,
      })),
    );
  }

  /** Resolves once every delivery and notification that is due has been made (retries and their waits included). */
  settled(): Promise<void> {
    return this.work.settled();
  }

  close(): void {
    this.work.close();
  }

  private subscriptionsOfClient(clientId: string): StoredSubscription[] {
    return this.registry.subscribersOf(clientId).flatMap((subscriber) => this.registry.subscriptionsOf(subscriber.id));
  }

  private filterOf(subscription: StoredSubscription): SubscriptionFilter {
    const expression = subscription.filter;
    if (expression === undefined) return { matches: () => true };
    let filter = this.filters.get(expression);
    if (!filter) {
      filter = parseSubscriptionFilter(expression);
      this.filters.set(expression, filter);
    }
    return filter;
  }

  private notify(subscription: StoredSubscription, type: NotificationType, reason?: string): void {
    const subscriber = this.registry.subscriberById(subscription.subscriberId);
    if (subscriber) this.notifier.notify(subscriber, subscription, type, reason);
  }
}
