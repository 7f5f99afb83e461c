import type { SubscriptionStatus } from './types';

export type NotificationChannel = 'email' | 'webhook';

export interface StoredContact {
  technical_email: string;
  notification_channels: NotificationChannel[];
  notification_webhook_url?: string;
  /** Never returned by the API, never shown on a page. */
  notification_webhook_secret?: string;
}

export interface StoredSubscriber {
  id: string;
  /** The app (or connection) whose token created it: only that client sees it. */
  clientId: string;
  name: string;
  /** The PIM URL. */
  subject: string;
  /** Akeneo's `revoked` once the app is disconnected; a deleted subscriber is removed. */
  status: 'active' | 'revoked';
  contact: StoredContact;
  createdAt: string;
  updatedAt: string;
}

export interface SubscriptionConfig {
  url: string;
  secret: { primary: string; secondary?: string };
  /** Custom headers, sent unsigned with each delivery. */
  headers?: Record<string, string>;
}

export interface StoredSubscription {
  id: string;
  subscriberId: string;
  source: 'pim';
  subject: string;
  type: 'https';
  events: string[];
  status: SubscriptionStatus;
  statusReason?: string;
  config: SubscriptionConfig;
  filter?: string;
  sendProductIdentifier: boolean;
  createdAt: string;
  updatedAt: string;
  /** Epoch milliseconds: events before it are not delivered (the activation delay). */
  activeFrom: number;
}

/** The Event Platform's part of the sandbox state (saved in the state file with the rest). */
export interface EventPlatformState {
  /** Client ids whose Event Platform permission is ticked in the app's connection settings. */
  permissions: string[];
  subscribers: StoredSubscriber[];
  subscriptions: StoredSubscription[];
}
