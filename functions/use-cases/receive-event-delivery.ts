import type { Logger } from '@aws-lambda-powertools/logger';
import type { EventPlatformStateStore } from '../adapters/connection-store';
import type { EventPlatformSecretStore } from '../adapters/event-platform-secrets';
import type { ProductEventQueue } from '../adapters/events-queue';
import type { Connection } from '../core/connection';
import { isStale, parseProductEvent, parseSubscriptionNotification } from '../core/event-deliveries';
import { checkSignature, type DeliverySignatures } from '../core/webhook-signature';
import { offboardPim } from './offboard-pim';

/** Why a delivery was refused (answered 401): logged, never the body, a signature or a secret. */
export type DeliveryRefusal =
  | 'unknown_pim'
  | 'no_secrets'
  | 'unsigned'
  | 'unsupported_algorithm'
  | 'bad_signature'
  | 'malformed'
  | 'unknown_subscription';

/** What was done with a verified delivery (answered 200). */
export type DeliveryAcceptance =
  | 'queued'
  | 'stale'
  | 'not_a_product_event'
  | 'own_write'
  | 'connection_inactive'
  | 'offboarded'
  | 'already_offboarded'
  | 'suspended'
  | 'resumed'
  | 'unchanged'
  | 'unknown_notification';

export type DeliveryOutcome =
  | { readonly answer: 'accepted'; readonly result: DeliveryAcceptance; readonly detail?: Record<string, string> }
  | { readonly answer: 'refused'; readonly refusal: DeliveryRefusal; readonly problem?: string };

export interface Delivery {
  /** The PIM named by the URL's last segment (its host key, turned back into its host). */
  readonly pimHost: string;
  readonly rawBody: Buffer;
  readonly signatures: DeliverySignatures;
  readonly now: Date;
}

export interface ReceiveDeliveryDeps {
  readonly store: EventPlatformStateStore;
  readonly secrets: Pick<EventPlatformSecretStore, 'get'>;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
}

export interface ReceiveProductEventDeps extends ReceiveDeliveryDeps {
  readonly queue: ProductEventQueue;
  /** The app's client id on that PIM: events it caused itself (its own write-backs) are dropped. */
  readonly ownClientId: (pimHost: string) => Promise<string | undefined>;
}

type Verified =
  | { readonly ok: true; readonly connection: Connection }
  | { readonly ok: false; readonly outcome: DeliveryOutcome };

/** The PIM's connection, and the signature against the secrets of the webhook called; nothing else is read first. */
async function verify(
  deps: ReceiveDeliveryDeps,
  delivery: Delivery,
  secretsOf: (secrets: NonNullable<Awaited<ReturnType<EventPlatformSecretStore['get']>>>) => string[],
): Promise<Verified> {
  const connection = await deps.store.get(delivery.pimHost);
  if (connection?.eventPlatform?.subscriptionId === undefined) return refused('unknown_pim');
  const secrets = await deps.secrets.get(delivery.pimHost);
  if (secrets === undefined) return refused('no_secrets');
  const check = checkSignature(delivery.rawBody, delivery.signatures, secretsOf(secrets));
  if (check !== 'valid') return refused(check);
  return { ok: true, connection };
}

function refused(refusal: DeliveryRefusal, problem?: string): { ok: false; outcome: DeliveryOutcome } {
  return { ok: false, outcome: { answer: 'refused', refusal, ...(problem ? { problem } : {}) } };
}

/**
 * POST /events/{pimHostKey}: a product event. Verified (signature of the raw body with the subscription's primary or
 * secondary secret; the event's subject must be the stored subscription), then queued for the event worker. An event
 * older than the replay window, of a type the app does not export, caused by the app's own write-back, or for a
 * connection no longer active is answered 200 and dropped: the platform must not count it as a failure.
 */
export function receiveProductEvent(deps: ReceiveProductEventDeps) {
  return async (delivery: Delivery): Promise<DeliveryOutcome> => {
    const verified = await verify(deps, delivery, (secrets) =>
      [secrets.events.primary, secrets.events.secondary].filter((secret): secret is string => secret !== undefined),
    );
    if (!verified.ok) return verified.outcome;
    const parsed = parseProductEvent(delivery.rawBody);
    if (!parsed.ok) return refused('malformed', parsed.problem).outcome;
    const { event } = parsed;
    const { connection } = verified;
    if (event.subscriptionId !== connection.eventPlatform?.subscriptionId) {
      return refused('unknown_subscription').outcome;
    }
    const accepted = (result: DeliveryAcceptance): DeliveryOutcome => ({
      answer: 'accepted',
      result,
      detail: { eventId: event.id, eventType: event.type },
    });
    if (isStale(event.time, delivery.now)) return accepted('stale');
    if (event.product === undefined) return accepted('not_a_product_event');
    if (connection.status !== 'active') return accepted('connection_inactive');
    const { author } = event.product;
    if (author !== undefined && author.identifier === (await deps.ownClientId(delivery.pimHost))) {
      return accepted('own_write');
    }
    await deps.queue.send({
      pimHost: delivery.pimHost,
      eventId: event.id,
      change: event.product.change,
      productUuid: event.product.uuid,
      time: event.time.toISOString(),
      ...(author ? { author } : {}),
    });
    return accepted('queued');
  };
}

/**
 * POST /event-notifications/{pimHostKey}: a subscription notification, verified with the notification webhook's
 * secret, for the stored subscription only. `subscription.revoked` offboards the PIM; `subscription.suspended.*`
 * marks the subscription suspended (a warning an alarm counts); `subscription.resumed` makes it active again.
 */
export function receiveSubscriptionNotification(deps: ReceiveDeliveryDeps) {
  return async (delivery: Delivery): Promise<DeliveryOutcome> => {
    const verified = await verify(deps, delivery, (secrets) => [secrets.notifications]);
    if (!verified.ok) return verified.outcome;
    const parsed = parseSubscriptionNotification(delivery.rawBody);
    if (!parsed.ok) return refused('malformed', parsed.problem).outcome;
    const { notification } = parsed;
    if (notification.subscriptionId !== verified.connection.eventPlatform?.subscriptionId) {
      return refused('unknown_subscription').outcome;
    }
    const { pimHost, now } = delivery;
    const { subscriptionId, type } = notification;
    const accepted = (result: DeliveryAcceptance): DeliveryOutcome => ({
      answer: 'accepted',
      result,
      detail: { notificationType: type, subscriptionId },
    });
    if (type === 'subscription.revoked') {
      return accepted((await offboardPim(deps, pimHost, subscriptionId, now)) ? 'offboarded' : 'already_offboarded');
    }
    if (type.startsWith('subscription.suspended')) {
      const reason = notification.reason ?? `suspended (${type.slice('subscription.suspended.'.length) || 'unknown'})`;
      const at = now.toISOString();
      const changed = await deps.store.setSubscriptionState(pimHost, {
        subscriptionId,
        state: 'suspended',
        reason,
        at,
      });
      if (changed) deps.logger.warn('Event Platform subscription suspended', { pimHost, subscriptionId, type, reason });
      return accepted(changed ? 'suspended' : 'unchanged');
    }
    if (type === 'subscription.resumed') {
      const at = now.toISOString();
      const changed = await deps.store.setSubscriptionState(pimHost, {
        subscriptionId,
        state: 'active',
        reason: 'resumed',
        at,
      });
      if (changed) deps.logger.info('Event Platform subscription resumed', { pimHost, subscriptionId });
      return accepted(changed ? 'resumed' : 'unchanged');
    }
    return accepted('unknown_notification');
  };
}
