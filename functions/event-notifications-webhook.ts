import { loadConfig } from './config';
import type { HttpHandler } from './http/responses';
import { makeWebhookHandler, type WebhookHandlerDeps } from './http/webhook-handler';
import { createEventNotificationsWebhookDeps } from './wiring/event-webhooks';
import { lazyHandler } from './wiring/lazy-handler';

/** POST /event-notifications/{pimHostKey}: a subscription notification (see `receiveSubscriptionNotification`). */
export const makeEventNotificationsWebhookHandler = (deps: WebhookHandlerDeps): HttpHandler =>
  makeWebhookHandler('notifications', deps);

export const handler: HttpHandler = lazyHandler(() =>
  makeEventNotificationsWebhookHandler(createEventNotificationsWebhookDeps(loadConfig(process.env))),
);
