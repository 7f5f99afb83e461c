import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http-helpers';
import type { SandboxContext } from '../sandbox-context';
import { identifyCaller } from './management-auth';
import {
  type FieldError,
  patchedSubscriber,
  patchedSubscription,
  type SubscriptionFields,
  type Validated,
  validateSubscriber,
  validateSubscription,
} from './management-validation';
import type { StoredSubscriber, StoredSubscription } from './model';
import type { EventPlatform } from './platform';
import { subscriberJson, subscriptionJson } from './representations';
import { LimitReachedError } from './subscription-registry';

/** Where the sandbox serves the management API; Akeneo's is https://event.prd.sdk.akeneo.cloud/api/v1. */
export const EVENT_PLATFORM_PREFIX = '/event-platform/api/v1';

export function isEventPlatformPath(pathname: string): boolean {
  return pathname === EVENT_PLATFORM_PREFIX || pathname.startsWith(`${EVENT_PLATFORM_PREFIX}/`);
}

const NOT_FOUND = { code: 404, message: 'Not Found' };
const METHOD_NOT_ALLOWED = { code: 405, message: 'Method Not Allowed' };

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
  }
}

/** The request's JSON body; an ApiError (400 or 413) when it is not JSON or too large. */
async function readJson(request: IncomingMessage): Promise<unknown> {
  let text: string;
  try {
    text = await readBody(request);
  } catch {
    throw new ApiError(413, 'The request body is too large.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'The request body is not valid JSON.');
  }
}

function valid<T>(validated: Validated<T>): T {
  if (!validated.ok) throw new ApiError(400, 'Validation failed.', validated.errors);
  return validated.value;
}

function currentFields(subscription: StoredSubscription): SubscriptionFields {
  return {
    source: subscription.source,
    subject: subscription.subject,
    type: subscription.type,
    events: subscription.events,
    config: subscription.config,
    ...(subscription.filter === undefined ? {} : { filter: subscription.filter }),
    sendProductIdentifier: subscription.sendProductIdentifier,
  };
}

/** Answers one management API call of an identified app; returns [status, body]. */
class ManagementCall {
  constructor(
    private readonly platform: EventPlatform,
    private readonly clientId: string,
    private readonly pimUrl: string,
    private readonly request: IncomingMessage,
  ) {}

  private get registry() {
    return this.platform.registry;
  }

  async answer(segments: readonly string[]): Promise<[number, unknown]> {
    const method = this.request.method ?? 'GET';
    const [collection, subscriberId, child, subscriptionId, action, ...rest] = segments;
    if (collection !== 'subscribers' || rest.length > 0) return [404, NOT_FOUND];
    if (subscriberId === undefined) return this.subscribers(method);
    const subscriber = this.subscriber(subscriberId);
    if (child === undefined) return this.oneSubscriber(method, subscriber);
    if (child !== 'subscriptions') return [404, NOT_FOUND];
    if (subscriptionId === undefined) return this.subscriptions(method, subscriber);
    const subscription = this.registry.subscription(subscriber.id, subscriptionId);
    if (!subscription) throw new ApiError(404, `Subscription "${subscriptionId}" not found.`);
    if (action === undefined) return this.oneSubscription(method, subscription);
    if (action !== 'suspend' && action !== 'resume') return [404, NOT_FOUND];
    if (method !== 'POST') return [405, METHOD_NOT_ALLOWED];
    this.refuseRevoked(subscription.status === 'revoked', `This subscription was revoked: it cannot be ${action}d.`);
    if (action === 'suspend') this.platform.suspend(subscription, 'user');
    else this.platform.resume(subscription);
    return [200, subscriptionJson(subscription)];
  }

  private subscriber(id: string): StoredSubscriber {
    const subscriber = this.registry.subscriber(this.clientId, id);
    if (!subscriber) throw new ApiError(404, `Subscriber "${id}" not found.`);
    return subscriber;
  }

  private refuseRevoked(revoked: boolean, message: string): void {
    if (revoked) throw new ApiError(409, message);
  }

  private async subscribers(method: string): Promise<[number, unknown]> {
    if (method === 'GET') return [200, this.registry.subscribersOf(this.clientId).map(subscriberJson)];
    if (method !== 'POST') return [405, METHOD_NOT_ALLOWED];
    const fields = valid(validateSubscriber(await readJson(this.request)));
    const subscriber = this.limited(() => this.registry.addSubscriber(this.clientId, this.pimUrl, fields));
    return [201, subscriberJson(subscriber)];
  }

  private async oneSubscriber(method: string, subscriber: StoredSubscriber): Promise<[number, unknown]> {
    if (method === 'GET') return [200, subscriberJson(subscriber)];
    if (method === 'DELETE') {
      this.registry.removeSubscriber(subscriber);
      return [204, undefined];
    }
    if (method !== 'PATCH') return [405, METHOD_NOT_ALLOWED];
    this.refuseRevoked(subscriber.status === 'revoked', 'This subscriber was revoked: it cannot be changed.');
    const fields = valid(patchedSubscriber(subscriber, await readJson(this.request)));
    this.registry.updateSubscriber(subscriber, fields);
    return [200, subscriberJson(subscriber)];
  }

  private async subscriptions(method: string, subscriber: StoredSubscriber): Promise<[number, unknown]> {
    if (method === 'GET') return [200, this.registry.subscriptionsOf(subscriber.id).map(subscriptionJson)];
    if (method !== 'POST') return [405, METHOD_NOT_ALLOWED];
    this.refuseRevoked(subscriber.status === 'revoked', 'This subscriber was revoked: create a new one.');
    const fields = valid(validateSubscription(await readJson(this.request), subscriber.subject));
    const activeFrom = this.platform.activeFromNow();
    const subscription = this.limited(() => this.registry.addSubscription(subscriber, fields, activeFrom));
    return [201, subscriptionJson(subscription)];
  }

  private async oneSubscription(method: string, subscription: StoredSubscription): Promise<[number, unknown]> {
    if (method === 'GET') return [200, subscriptionJson(subscription)];
    if (method === 'DELETE') {
      this.registry.removeSubscription(subscription);
      return [204, undefined];
    }
    if (method !== 'PATCH') return [405, METHOD_NOT_ALLOWED];
    this.refuseRevoked(subscription.status === 'revoked', 'This subscription was revoked: it cannot be changed.');
    const patch = await readJson(this.request);
    const fields = valid(patchedSubscription(currentFields(subscription), patch, subscription.subject));
    // Like a new one, an updated subscription delivers again only after the activation delay.
    this.registry.updateSubscription(subscription, fields, this.platform.activeFromNow());
    return [200, subscriptionJson(subscription)];
  }

  private limited<T>(create: () => T): T {
    try {
      return create();
    } catch (error) {
      if (error instanceof LimitReachedError) throw new ApiError(409, error.message);
      throw error;
    }
  }
}

/**
 * The Event Platform's management API for this PIM (akeneo-apps-platform.md §2.1): subscribers and their
 * subscriptions, suspend and resume. A PIM without the platform answers 404 to everything. JSON error bodies are
 * `{code, message}` (plus `errors` on a 400), the sandbox's choice: Akeneo's OpenAPI file could not be read.
 */
export async function serveEventPlatformApi(
  context: SandboxContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const platform = context.eventPlatform;
  if (!platform.enabled) {
    sendJson(response, 404, NOT_FOUND);
    return;
  }
  const caller = identifyCaller(request, context.store, context.baseUrl, (clientId) =>
    platform.registry.hasPermission(clientId),
  );
  if (!caller.ok) {
    sendJson(response, caller.status, caller.body);
    return;
  }
  const segments = url.pathname.slice(EVENT_PLATFORM_PREFIX.length).split('/').filter(Boolean);
  try {
    const [status, body] = await new ManagementCall(platform, caller.clientId, context.baseUrl, request).answer(
      segments,
    );
    if (body === undefined) {
      response.writeHead(status, { 'cache-control': 'no-store', 'content-length': 0 });
      response.end();
    } else {
      sendJson(response, status, body);
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const body = error.errors
      ? { code: error.status, message: error.message, errors: error.errors }
      : { code: error.status, message: error.message };
    sendJson(response, error.status, body);
  }
}
