import type { Logger } from '@aws-lambda-powertools/logger';
import { asAppError, reasonOf } from '../core/errors';
import type { Delivery, DeliveryOutcome } from '../use-cases/receive-event-delivery';
import type { HttpHandler } from './responses';
import { deliveryBody, deliveryPimHost, deliverySignatures, webhookResponse } from './webhook-delivery';

export interface WebhookHandlerDeps {
  readonly receive: (delivery: Delivery) => Promise<DeliveryOutcome>;
  readonly logger: Logger;
  /** Epoch seconds. */
  readonly now: () => number;
}

/**
 * One of the Event Platform's webhooks: 413 for a body over the cap, 401 for anything that is not a verified delivery
 * for the stored subscription (never 404 or 3xx: either suspends a good subscription at once), 200 once the delivery
 * is acted on. A dependency that fails (DynamoDB, SQS) gets 503: the platform retries, and nothing was half done.
 * Logged with a reason code, the PIM host and the event or notification id; never the body, a signature or a secret.
 */
export function makeWebhookHandler(webhook: 'events' | 'notifications', deps: WebhookHandlerDeps): HttpHandler {
  return async (event) => {
    const body = deliveryBody(event);
    if (!body.ok) {
      deps.logger.warn('Event Platform delivery refused', { webhook, reason: 'too_large', status: 413 });
      return webhookResponse(413);
    }
    const pimHost = deliveryPimHost(event);
    if (pimHost === undefined) {
      deps.logger.warn('Event Platform delivery refused', { webhook, reason: 'unknown_pim', status: 401 });
      return webhookResponse(401);
    }
    let outcome: DeliveryOutcome;
    try {
      outcome = await deps.receive({
        pimHost,
        rawBody: body.raw,
        signatures: deliverySignatures(event),
        now: new Date(deps.now() * 1000),
      });
    } catch (error) {
      const failure = asAppError(error);
      deps.logger.error('Event Platform delivery not processed', {
        webhook,
        pimHost,
        errorCode: failure.code,
        reason: reasonOf(failure),
        status: 503,
      });
      return webhookResponse(503);
    }
    if (outcome.answer === 'refused') {
      deps.logger.warn('Event Platform delivery refused', {
        webhook,
        pimHost,
        reason: outcome.refusal,
        ...(outcome.problem ? { problem: outcome.problem } : {}),
        status: 401,
      });
      return webhookResponse(401);
    }
    deps.logger.info('Event Platform delivery accepted', {
      webhook,
      pimHost,
      result: outcome.result,
      ...outcome.detail,
    });
    return webhookResponse(200);
  };
}
