import type { SandboxStore } from '../sandbox-state';
import { rfc3339Micros, uuidV7 } from './ids';
import type { SubscriberFields, SubscriptionFields } from './management-validation';
import type { EventPlatformState, StoredSubscriber, StoredSubscription } from './model';
import { eventPlatformState } from './state';

/** Akeneo's limits (limitations.md). */
export const MAX_SUBSCRIBERS_PER_PIM = 20;
export const MAX_SUBSCRIPTIONS_PER_SUBSCRIBER = 20;

export class LimitReachedError extends Error {}

/** Subscribers, subscriptions and permissions as stored in the sandbox state; every change is saved at once. */
export class SubscriptionRegistry {
  constructor(private readonly store: SandboxStore) {}

  private get state(): EventPlatformState {
    return eventPlatformState(this.store);
  }

  private now(): string {
    return rfc3339Micros(this.store.nowSeconds());
  }

  save(): void {
    this.store.save();
  }

  hasPermission(clientId: string): boolean {
    return this.state.permissions.includes(clientId);
  }

  setPermission(clientId: string, granted: boolean): void {
    const others = this.state.permissions.filter((candidate) => candidate !== clientId);
    this.state.permissions = granted ? [...others, clientId] : others;
    this.save();
  }

  subscribersOf(clientId: string): StoredSubscriber[] {
    return this.state.subscribers.filter((subscriber) => subscriber.clientId === clientId);
  }

  subscriber(clientId: string, id: string): StoredSubscriber | undefined {
    return this.subscribersOf(clientId).find((subscriber) => subscriber.id === id);
  }

  subscriberById(id: string): StoredSubscriber | undefined {
    return this.state.subscribers.find((subscriber) => subscriber.id === id);
  }

  /** Throws LimitReachedError when the PIM already has 20 active subscribers (all apps together). */
  addSubscriber(clientId: string, subject: string, fields: SubscriberFields): StoredSubscriber {
    const active = this.state.subscribers.filter((subscriber) => subscriber.status === 'active').length;
    if (active >= MAX_SUBSCRIBERS_PER_PIM) {
      throw new LimitReachedError(`This PIM already has ${MAX_SUBSCRIBERS_PER_PIM} subscribers, the most it can have.`);
    }
    const now = this.now();
    const subscriber: StoredSubscriber = {
      id: uuidV7(),
      clientId,
      name: fields.name,
      subject,
      status: 'active',
      contact: fields.contact,
      createdAt: now,
      updatedAt: now,
    };
    this.state.subscribers.push(subscriber);
    this.save();
    return subscriber;
  }

  updateSubscriber(subscriber: StoredSubscriber, fields: SubscriberFields): void {
    subscriber.name = fields.name;
    subscriber.contact = fields.contact;
    subscriber.updatedAt = this.now();
    this.save();
  }

  /** Deletes the subscriber and its subscriptions: they are gone from the API. */
  removeSubscriber(subscriber: StoredSubscriber): void {
    const { state } = this;
    state.subscribers = state.subscribers.filter((candidate) => candidate !== subscriber);
    state.subscriptions = state.subscriptions.filter((candidate) => candidate.subscriberId !== subscriber.id);
    this.save();
  }

  subscriptionsOf(subscriberId: string): StoredSubscription[] {
    return this.state.subscriptions.filter((subscription) => subscription.subscriberId === subscriberId);
  }

  subscription(subscriberId: string, id: string): StoredSubscription | undefined {
    return this.subscriptionsOf(subscriberId).find((subscription) => subscription.id === id);
  }

  subscriptionById(id: string): StoredSubscription | undefined {
    return this.state.subscriptions.find((subscription) => subscription.id === id);
  }

  allSubscriptions(): readonly StoredSubscription[] {
    return this.state.subscriptions;
  }

  /** Throws LimitReachedError when the subscriber already has 20 subscriptions. */
  addSubscription(subscriber: StoredSubscriber, fields: SubscriptionFields, activeFrom: number): StoredSubscription {
    if (this.subscriptionsOf(subscriber.id).length >= MAX_SUBSCRIPTIONS_PER_SUBSCRIBER) {
      throw new LimitReachedError(
        `This subscriber already has ${MAX_SUBSCRIPTIONS_PER_SUBSCRIBER} subscriptions, the most it can have.`,
      );
    }
    const now = this.now();
    const subscription: StoredSubscription = {
      id: uuidV7(),
      subscriberId: subscriber.id,
      ...fields,
      status: 'active',
      createdAt: now,
      updatedAt: now,
      activeFrom,
    };
    this.state.subscriptions.push(subscription);
    this.save();
    return subscription;
  }

  updateSubscription(subscription: StoredSubscription, fields: SubscriptionFields, activeFrom: number): void {
    Object.assign(subscription, fields, { updatedAt: this.now(), activeFrom });
    if (fields.filter === undefined) delete subscription.filter;
    this.save();
  }

  removeSubscription(subscription: StoredSubscription): void {
    this.state.subscriptions = this.state.subscriptions.filter((candidate) => candidate !== subscription);
    this.save();
  }
}
