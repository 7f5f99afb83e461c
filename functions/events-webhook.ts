import { loadConfig } from './config';
import type { HttpHandler } from './http/responses';
import { makeWebhookHandler, type WebhookHandlerDeps } from './http/webhook-handler';
import { createEventsWebhookDeps } from './wiring/event-webhooks';
import { lazyHandler } from './wiring/lazy-handler';

/** POST /events/{pimHostKey}: the Event Platform delivers a product event (see `receiveProductEvent`). */
export const makeEventsWebhookHandler = (deps: WebhookHandlerDeps): HttpHandler => makeWebhookHandler('events', deps);

export const handler: HttpHandler = lazyHandler(() =>
  makeEventsWebhookHandler(createEventsWebhookDeps(loadConfig(process.env))),
);
