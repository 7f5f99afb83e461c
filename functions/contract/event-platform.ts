import { pimHostKey } from './names';

/**
 * The app's two public endpoints for Akeneo's Event Platform. Each PIM's subscription and subscriber point at their
 * own URL (the PIM's host key as the last segment), so a delivery names the PIM whose secret must verify it.
 */
export const EVENT_PLATFORM_ROUTES = {
  /** Product events (CloudEvents, signed with the subscription's secret). */
  events: '/events',
  /** Subscription notifications (`subscription.revoked`, …, signed with the notification webhook's secret). */
  notifications: '/event-notifications',
} as const;

export function eventsWebhookUrl(apiBaseUrl: string, pimHost: string): string {
  return `${apiBaseUrl.replace(/\/+$/, '')}${EVENT_PLATFORM_ROUTES.events}/${pimHostKey(pimHost)}`;
}

export function notificationsWebhookUrl(apiBaseUrl: string, pimHost: string): string {
  return `${apiBaseUrl.replace(/\/+$/, '')}${EVENT_PLATFORM_ROUTES.notifications}/${pimHostKey(pimHost)}`;
}

/**
 * Where a PIM stands with the Event Platform, kept on its connection: `active` (subscribed), `unavailable` (the
 * platform refused or is absent: a Community or PaaS PIM, or the permission not ticked; tried again at the next
 * connect), `suspended` (by the platform or a user; a `subscription.resumed` clears it), `revoked` (the app was removed
 * from the PIM).
 */
export type EventPlatformState = 'active' | 'unavailable' | 'suspended' | 'revoked';

export interface EventPlatformSubscription {
  readonly state: EventPlatformState;
  /** Why it is not `active`, in words fit for the connected page and `npm run pim -- status`. */
  readonly reason?: string;
  readonly subscriberId?: string;
  readonly subscriptionId?: string;
  /** ISO 8601. */
  readonly changedAt: string;
}
