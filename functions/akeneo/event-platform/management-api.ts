import { eventPlatformBaseUrl } from '../../core/event-platform';
import { PimTransport } from '../pim-transport';
import { AnswerTooLargeError, TransportError } from '../transport-error';
import {
  listFrom,
  type PlatformSubscriber,
  type PlatformSubscription,
  refusalMessage,
  subscriberFrom,
  subscriptionFrom,
} from './answers';

/** Who calls the management API: the PIM, the app's live access token on it, and the app's client id. */
export interface EventPlatformCaller {
  readonly pimUrl: string;
  readonly accessToken: string;
  readonly clientId: string;
}

export interface NewSubscriber {
  readonly name: string;
  readonly technicalEmail: string;
  readonly notificationWebhookUrl: string;
  readonly notificationWebhookSecret: string;
}

export interface SubscriptionSettings {
  readonly events: readonly string[];
  readonly url: string;
  readonly secret: { readonly primary: string; readonly secondary?: string };
  readonly filter: string;
}

/**
 * Why a call did not give what was asked. `refused` (401, 403, 404), `unreachable` and `timeout` mean the platform is
 * not available to this PIM now; `failed` is any other answer (a limit reached, a field refused, an answer of the
 * wrong shape), with what the platform said of it.
 */
export type PlatformProblem =
  | { readonly kind: 'refused'; readonly status: 401 | 403 | 404 }
  | { readonly kind: 'unreachable'; readonly detail: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'failed'; readonly status: number; readonly message: string };

export type PlatformResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: PlatformProblem };

/** The time a caller has left, in milliseconds: each call gets at most that, and none starts without any. */
export interface CallBudget {
  timeLeftMs(): number;
}

/** Enough for 20 subscribers or subscriptions, each a few hundred bytes. */
const MAX_ANSWER_BYTES = 256 * 1024;
const REFUSALS = new Set([401, 403, 404]);

/**
 * Akeneo's Event Platform management API for one PIM (akeneo-apps-platform.md §2.1): subscribers and subscriptions,
 * each call with the `X-PIM-URL`, `X-PIM-TOKEN` and `X-PIM-CLIENT-ID` headers, bounded by the caller's budget, never
 * following a redirect. Nothing here logs; no result carries the token or a secret.
 */
export class EventPlatformSession {
  private readonly baseUrl: string;
  private readonly transport = new PimTransport({ maxSockets: 1, keepAlive: true });

  constructor(
    baseUrlTemplate: string,
    private readonly caller: EventPlatformCaller,
    private readonly budget: CallBudget,
  ) {
    this.baseUrl = eventPlatformBaseUrl(baseUrlTemplate, caller.pimUrl);
  }

  async subscribers(): Promise<PlatformResult<PlatformSubscriber[]>> {
    return this.call('GET', '/subscribers', undefined, (body) => listFrom(body, subscriberFrom));
  }

  async createSubscriber(subscriber: NewSubscriber): Promise<PlatformResult<PlatformSubscriber>> {
    return this.call('POST', '/subscribers', subscriberBody(subscriber), subscriberFrom);
  }

  /** Points the subscriber's notification webhook at `url`, signed with `secret`; the rest stays. */
  async updateNotificationWebhook(
    subscriberId: string,
    webhook: { readonly url: string; readonly secret: string },
  ): Promise<PlatformResult<PlatformSubscriber>> {
    const body = {
      contact: {
        notification_channels: ['webhook'],
        notification_webhook_url: webhook.url,
        notification_webhook_secret: webhook.secret,
      },
    };
    return this.call('PATCH', `/subscribers/${encodeURIComponent(subscriberId)}`, body, subscriberFrom);
  }

  async subscriptions(subscriberId: string): Promise<PlatformResult<PlatformSubscription[]>> {
    return this.call('GET', `${subscriptionsPath(subscriberId)}`, undefined, (body) =>
      listFrom(body, subscriptionFrom),
    );
  }

  async createSubscription(
    subscriberId: string,
    settings: SubscriptionSettings,
  ): Promise<PlatformResult<PlatformSubscription>> {
    const body = { source: 'pim', subject: this.caller.pimUrl, type: 'https', ...subscriptionBody(settings) };
    return this.call('POST', subscriptionsPath(subscriberId), body, subscriptionFrom);
  }

  async updateSubscription(
    subscriberId: string,
    subscriptionId: string,
    settings: SubscriptionSettings,
  ): Promise<PlatformResult<PlatformSubscription>> {
    const path = `${subscriptionsPath(subscriberId)}/${encodeURIComponent(subscriptionId)}`;
    return this.call('PATCH', path, subscriptionBody(settings), subscriptionFrom);
  }

  async resumeSubscription(
    subscriberId: string,
    subscriptionId: string,
  ): Promise<PlatformResult<PlatformSubscription>> {
    const path = `${subscriptionsPath(subscriberId)}/${encodeURIComponent(subscriptionId)}/resume`;
    return this.call('POST', path, undefined, subscriptionFrom);
  }

  /** Closes the session's sockets: a Lambda may be frozen before its next call, on a socket closed since. */
  close(): void {
    this.transport.close();
  }

  private async call<T>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body: unknown,
    parse: (body: unknown) => T | undefined,
  ): Promise<PlatformResult<T>> {
    const timeoutMs = Math.floor(this.budget.timeLeftMs());
    if (timeoutMs <= 0) return { ok: false, problem: { kind: 'timeout' } };
    let answer: Awaited<ReturnType<PimTransport['send']>>;
    try {
      answer = await this.transport.send({
        method,
        url: `${this.baseUrl}${path}`,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          'x-pim-url': this.caller.pimUrl,
          'x-pim-token': this.caller.accessToken,
          'x-pim-client-id': this.caller.clientId,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs,
        maxBytes: MAX_ANSWER_BYTES,
      });
    } catch (error) {
      return { ok: false, problem: transportProblem(error) };
    }
    const { status } = answer;
    if (REFUSALS.has(status)) return { ok: false, problem: { kind: 'refused', status: status as 401 | 403 | 404 } };
    if (status < 200 || status >= 300) {
      const message = redact(refusalMessage(answer.body), [this.caller.accessToken, ...secretsIn(body)]);
      return { ok: false, problem: { kind: 'failed', status, message } };
    }
    let parsed: T | undefined;
    try {
      parsed = parse(JSON.parse(answer.body) as unknown);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined) {
      return { ok: false, problem: { kind: 'failed', status, message: `unexpected answer to ${method} ${path}` } };
    }
    return { ok: true, value: parsed };
  }
}

function subscriptionsPath(subscriberId: string): string {
  return `/subscribers/${encodeURIComponent(subscriberId)}/subscriptions`;
}

function subscriberBody(subscriber: NewSubscriber) {
  return {
    name: subscriber.name,
    contact: {
      technical_email: subscriber.technicalEmail,
      notification_channels: ['webhook'],
      notification_webhook_url: subscriber.notificationWebhookUrl,
      notification_webhook_secret: subscriber.notificationWebhookSecret,
    },
  };
}

function subscriptionBody({ events, url, secret, filter }: SubscriptionSettings) {
  const { primary, secondary } = secret;
  return {
    events: [...events],
    config: { url, secret: { primary, ...(secondary === undefined ? {} : { secondary }) } },
    filter,
  };
}

/** The secrets a request body carries (a subscriber's webhook secret, a subscription's signing secrets). */
function secretsIn(body: unknown): string[] {
  const record = (body ?? {}) as {
    contact?: { notification_webhook_secret?: string };
    config?: { secret?: { primary?: string; secondary?: string } };
  };
  return [
    record.contact?.notification_webhook_secret,
    record.config?.secret?.primary,
    record.config?.secret?.secondary,
  ].filter((value): value is string => typeof value === 'string' && value !== '');
}

/** The platform's words without anything the app sent it in confidence, should it echo a field. */
function redact(message: string, secrets: readonly string[]): string {
  return secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), message);
}

function transportProblem(error: unknown): PlatformProblem {
  if (error instanceof AnswerTooLargeError) {
    return { kind: 'failed', status: 0, message: 'answer too large' };
  }
  if (error instanceof TransportError) {
    return error.reason === 'answer timed out' ? { kind: 'timeout' } : { kind: 'unreachable', detail: error.reason };
  }
  return { kind: 'unreachable', detail: 'network error' };
}
