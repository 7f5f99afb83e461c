import type { StoredSubscriber, StoredSubscription } from './model';

/** How the API shows a secret or a custom header's value (logs.md example). */
export const REDACTED = '***redacted***';

/** A subscriber as the API returns it: the notification secret never appears. */
export function subscriberJson(subscriber: StoredSubscriber): Record<string, unknown> {
  const { technical_email, notification_channels, notification_webhook_url } = subscriber.contact;
  return {
    id: subscriber.id,
    name: subscriber.name,
    subject: subscriber.subject,
    status: subscriber.status,
    contact: {
      technical_email,
      notification_channels,
      ...(notification_webhook_url === undefined ? {} : { notification_webhook_url }),
    },
    created_at: subscriber.createdAt,
    updated_at: subscriber.updatedAt,
  };
}

/** A subscription as the API returns it: secrets and custom header values redacted. */
export function subscriptionJson(subscription: StoredSubscription): Record<string, unknown> {
  const { config } = subscription;
  return {
    id: subscription.id,
    subscriber_id: subscription.subscriberId,
    source: subscription.source,
    subject: subscription.subject,
    type: subscription.type,
    events: subscription.events,
    status: subscription.status,
    config: {
      url: config.url,
      secret: { primary: REDACTED, ...(config.secret.secondary === undefined ? {} : { secondary: REDACTED }) },
      ...(config.headers === undefined
        ? {}
        : { headers: Object.fromEntries(Object.keys(config.headers).map((name) => [name, REDACTED])) }),
    },
    ...(subscription.filter === undefined ? {} : { filter: subscription.filter }),
    send_product_identifier: subscription.sendProductIdentifier,
    created_at: subscription.createdAt,
    updated_at: subscription.updatedAt,
  };
}
