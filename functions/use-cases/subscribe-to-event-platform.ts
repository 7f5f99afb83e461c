import type { ConnectionStore } from '../adapters/connection-store';
import type { EventPlatformSecretStore, EventPlatformSecrets } from '../adapters/event-platform-secrets';
import {
  type CallBudget,
  type EventPlatformCaller,
  EventPlatformSession,
  type PlatformProblem,
  type PlatformResult,
  type PlatformSubscriber,
  type PlatformSubscription,
  type SubscriptionSettings,
} from '../akeneo/event-platform';
import { type EventPlatformSubscription, eventsWebhookUrl, notificationsWebhookUrl } from '../contract/event-platform';
import {
  failedReason,
  newSigningSecret,
  PRODUCT_EVENT_TYPES,
  sameEventTypes,
  unavailableReason,
  withoutOwnWrites,
} from '../core/event-platform';

export interface SubscribeToEventPlatformDeps {
  readonly secrets: EventPlatformSecretStore;
  readonly connections: Pick<ConnectionStore, 'saveEventPlatform'>;
  /** `EVENT_PLATFORM_URL`: the management API, or a template that opens with `{pimUrl}`. */
  readonly platformUrl: string;
  /** The app's public base URL, where the webhooks are. */
  readonly appPublicUrl: string;
  /** The subscriber's name: the app finds its own subscriber by it. */
  readonly subscriberName: string;
  /** `EVENT_PLATFORM_CONTACT_EMAIL`; else the connecting user's email. */
  readonly contactEmail?: string;
  /** Limit on the whole step. */
  readonly timeoutMs: number;
  readonly randomBytes: (size: number) => Uint8Array;
  /** Epoch milliseconds. */
  readonly nowMs: () => number;
}

export interface SubscribeInput {
  readonly pimUrl: string;
  readonly pimHost: string;
  readonly clientId: string;
  readonly accessToken: string;
  readonly tokenVersion: string;
  readonly connectedByEmail?: string;
}

/** What the step found, for the page, and what the callback's log says of it (never a secret or the token). */
export interface SubscribeOutcome {
  readonly eventPlatform: EventPlatformSubscription;
  /** Whether it was stored on the connection (false: a reconnect or a revocation happened meanwhile). */
  readonly stored: boolean;
  /** A refusal other than "not available" (a limit, a field refused): the platform's words, for the log. */
  readonly failure?: { readonly status: number; readonly message: string };
  /** What was created or changed on the platform. */
  readonly changes: readonly string[];
}

export type SubscribeToEventPlatform = (input: SubscribeInput) => Promise<SubscribeOutcome>;

/** Thrown inside the step to end it with this problem. */
class PlatformStop extends Error {
  constructor(readonly problem: PlatformProblem) {
    super('Event Platform step stopped');
  }
}

/**
 * The callback's Event Platform step, after the token is stored: this PIM's secrets, this app's subscriber (found by
 * name, or created with the notification webhook) and its one subscription to product events (found by its URL, or
 * created; changed only when it differs, since a changed subscription pauses its deliveries for a while). Best
 * effort: every refusal becomes a state on the connection, never an error of the callback.
 */
export const subscribeToEventPlatform =
  (deps: SubscribeToEventPlatformDeps): SubscribeToEventPlatform =>
  async (input) => {
    const deadline = deps.nowMs() + deps.timeoutMs;
    const budget: CallBudget = { timeLeftMs: () => deadline - deps.nowMs() };
    const changes: string[] = [];
    let eventPlatform: EventPlatformSubscription;
    let failure: SubscribeOutcome['failure'];
    try {
      eventPlatform = await withinTime(subscribe(deps, input, budget, changes), deps.timeoutMs);
    } catch (error) {
      const problem: PlatformProblem = error instanceof PlatformStop ? error.problem : { kind: 'timeout' };
      if (!(error instanceof PlatformStop || error instanceof StepTimeout)) throw error;
      if (problem.kind === 'failed') failure = { status: problem.status, message: problem.message };
      eventPlatform = { state: 'unavailable', reason: reasonOf(problem, deps.timeoutMs), changedAt: isoNow(deps) };
    }
    const stored = await deps.connections.saveEventPlatform(input.pimHost, input.tokenVersion, eventPlatform);
    return { eventPlatform, stored, changes, ...(failure ? { failure } : {}) };
  };

async function subscribe(
  deps: SubscribeToEventPlatformDeps,
  input: SubscribeInput,
  budget: CallBudget,
  changes: string[],
): Promise<EventPlatformSubscription> {
  const technicalEmail = deps.contactEmail ?? input.connectedByEmail;
  if (technicalEmail === undefined) {
    return {
      state: 'unavailable',
      reason:
        'No technical email for the subscriber: set EVENT_PLATFORM_CONTACT_EMAIL, or connect as a user who shares their email',
      changedAt: isoNow(deps),
    };
  }
  const secret = () => newSigningSecret(deps.randomBytes);
  const secrets = await deps.secrets.ensure(input.pimHost, () => ({
    events: { primary: secret() },
    notifications: secret(),
  }));
  const caller: EventPlatformCaller = {
    pimUrl: input.pimUrl,
    accessToken: input.accessToken,
    clientId: input.clientId,
  };
  const session = new EventPlatformSession(deps.platformUrl, caller, budget);
  try {
    const subscriber = await ensureSubscriber(session, deps, input, secrets, technicalEmail, changes);
    const subscription = await ensureSubscription(session, deps, input, subscriber, secrets, changes);
    return {
      state: subscription.status === 'suspended' ? 'suspended' : 'active',
      ...(subscription.status === 'suspended'
        ? { reason: 'The Event Platform suspended the subscription (by Akeneo or a PIM user)' }
        : {}),
      subscriberId: subscriber.id,
      subscriptionId: subscription.id,
      changedAt: isoNow(deps),
    };
  } finally {
    session.close();
  }
}

async function ensureSubscriber(
  session: EventPlatformSession,
  deps: SubscribeToEventPlatformDeps,
  input: SubscribeInput,
  secrets: EventPlatformSecrets,
  technicalEmail: string,
  changes: string[],
): Promise<PlatformSubscriber> {
  const webhookUrl = notificationsWebhookUrl(deps.appPublicUrl, input.pimHost);
  const subscribers = answered(await session.subscribers());
  // A revoked subscriber (the app was removed, then connected again) cannot be changed: a new one replaces it.
  const existing = subscribers.find(
    (subscriber) => subscriber.name === deps.subscriberName && subscriber.status !== 'revoked',
  );
  if (!existing) {
    changes.push('subscriber created');
    return answered(
      await session.createSubscriber({
        name: deps.subscriberName,
        technicalEmail,
        notificationWebhookUrl: webhookUrl,
        notificationWebhookSecret: secrets.notifications,
      }),
    );
  }
  if (existing.notificationWebhookUrl === webhookUrl && existing.notificationChannels.includes('webhook')) {
    return existing;
  }
  changes.push('notification webhook updated');
  return answered(
    await session.updateNotificationWebhook(existing.id, { url: webhookUrl, secret: secrets.notifications }),
  );
}

async function ensureSubscription(
  session: EventPlatformSession,
  deps: SubscribeToEventPlatformDeps,
  input: SubscribeInput,
  subscriber: PlatformSubscriber,
  secrets: EventPlatformSecrets,
  changes: string[],
): Promise<PlatformSubscription> {
  const settings: SubscriptionSettings = {
    events: PRODUCT_EVENT_TYPES,
    url: eventsWebhookUrl(deps.appPublicUrl, input.pimHost),
    secret: secrets.events,
    filter: withoutOwnWrites(input.clientId),
  };
  const subscriptions = answered(await session.subscriptions(subscriber.id));
  const existing = subscriptions.find(
    (subscription) => subscription.url === settings.url && subscription.status !== 'revoked',
  );
  if (!existing) {
    changes.push('subscription created');
    return answered(await session.createSubscription(subscriber.id, settings));
  }
  if (upToDate(existing, settings)) return existing;
  // A rotation staged or completed in the secret store shows as a secondary added or dropped.
  changes.push('subscription updated');
  return answered(await session.updateSubscription(subscriber.id, existing.id, settings));
}

function upToDate(subscription: PlatformSubscription, settings: SubscriptionSettings): boolean {
  return (
    sameEventTypes(subscription.events, settings.events) &&
    subscription.filter === settings.filter &&
    subscription.hasSecondarySecret === (settings.secret.secondary !== undefined)
  );
}

function answered<T>(result: PlatformResult<T>): T {
  if (!result.ok) throw new PlatformStop(result.problem);
  return result.value;
}

function reasonOf(problem: PlatformProblem, timeoutMs: number): string {
  switch (problem.kind) {
    case 'refused':
      return unavailableReason({ kind: 'status', status: problem.status });
    case 'unreachable':
      return unavailableReason({ kind: 'unreachable', detail: problem.detail });
    case 'timeout':
      return unavailableReason({ kind: 'timeout', limitMs: timeoutMs });
    case 'failed':
      return failedReason(problem.status);
  }
}

class StepTimeout extends Error {}

/** The step's result, or StepTimeout past `ms`: a secret store that hangs must not hold the callback either. */
async function withinTime<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // Past its time the step goes on alone (each call then has no time left): its end must not be an unhandled rejection.
  promise.catch(() => undefined);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeout('Event Platform step timed out')), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function isoNow(deps: SubscribeToEventPlatformDeps): string {
  return new Date(deps.nowMs()).toISOString();
}
