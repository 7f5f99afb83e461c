import type { EventPlatformState } from '../../contract/event-platform';
import type { Connection } from '../../core/connection';

/**
 * What the Event Platform's webhooks need of the Connections table: read a connection (its subscription id routes a
 * delivery), offboard it when the platform says the app was removed, and follow its subscription's suspensions. Every
 * write is conditional on the subscription id it was told of: a notification for an older subscription changes nothing.
 */
export interface EventPlatformStateStore {
  get(pimHost: string): Promise<Connection | undefined>;
  /**
   * The app was removed from the PIM: the connection becomes `revoked` with the reason, its encrypted token is removed
   * (the ciphertext holds its own data key, encrypted under KMS: both go), any sync checkpoint goes; who connected,
   * when, and the sync cursor stay. Returns false (and writes nothing) if the stored subscription is another one, or
   * the connection was already offboarded.
   */
  offboard(pimHost: string, change: SubscriptionChange): Promise<boolean>;
  /** The subscription is `suspended` (with the platform's reason) or `active` again; false if it is not the stored one. */
  setSubscriptionState(
    pimHost: string,
    change: SubscriptionChange & { readonly state: Extract<EventPlatformState, 'active' | 'suspended'> },
  ): Promise<boolean>;
}

export interface SubscriptionChange {
  readonly subscriptionId: string;
  readonly reason: string;
  /** ISO 8601. */
  readonly at: string;
}
