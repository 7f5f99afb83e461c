import { rfc3339Seconds } from './ids';
import type { StoredSubscriber, StoredSubscription } from './model';
import { type PostResult, postBody } from './outbound-post';
import type { PendingWork } from './pending-work';
import { signedHeaders } from './signing';
import type { NotificationRecord, NotificationType } from './types';

/** Akeneo: up to 3 attempts, 1 s then 2 s apart (notification-webhooks.md "Delivery and fallback"). */
const ATTEMPTS = 3;
const RETRY_DELAYS_MS = [1000, 2000];

export interface NotifierSettings {
  readonly work: PendingWork;
  readonly log: NotificationRecord[];
  readonly nowSeconds: () => number;
  readonly retryScale: number;
  readonly timeoutMs: number;
}

function isDelivered(result: PostResult): boolean {
  return typeof result === 'number' && result >= 200 && result < 300;
}

/** 5xx, 429, 3xx (redirects are not followed), timeouts and network errors are retried; other 4xx are not. */
function isRetried(result: PostResult): boolean {
  if (typeof result !== 'number') return true;
  return result === 429 || result >= 500 || result < 400;
}

/** Tells a subscriber that one of its subscriptions changed status, on the channels it chose. */
export class Notifier {
  constructor(private readonly settings: NotifierSettings) {}

  notify(
    subscriber: StoredSubscriber,
    subscription: StoredSubscription,
    notificationType: NotificationType,
    reason?: string,
  ): void {
    const { contact } = subscriber;
    const record = { notificationType, subscriberId: subscriber.id, subscriptionId: subscription.id };
    const emailChosen = contact.notification_channels.includes('email');
    if (emailChosen) this.settings.log.push({ ...record, channel: 'email', outcome: 'sent' });
    const url = contact.notification_webhook_url;
    const secret = contact.notification_webhook_secret;
    if (!contact.notification_channels.includes('webhook') || url === undefined || secret === undefined) return;
    const body = Buffer.from(
      JSON.stringify({
        notification_type: notificationType,
        timestamp: rfc3339Seconds(this.settings.nowSeconds()),
        subscription_id: subscription.id,
        subscriber_id: subscriber.id,
        destination: subscription.config.url,
        events: subscription.events,
        ...(reason === undefined ? {} : { reason }),
        subject: subscriber.subject,
      }),
    );
    const end = this.settings.work.begin();
    void this.send(url, secret, body, record, emailChosen).finally(end);
  }

  private async send(
    url: string,
    secret: string,
    body: Buffer,
    record: Pick<NotificationRecord, 'notificationType' | 'subscriberId' | 'subscriptionId'>,
    emailChosen: boolean,
  ): Promise<void> {
    const { work, log, retryScale, timeoutMs } = this.settings;
    const headers = signedHeaders(body, { primary: secret });
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const result = await postBody(url, body, headers, timeoutMs, work.signal);
      if (work.closed) return;
      const base = { ...record, channel: 'webhook' as const, attempt, result };
      if (isDelivered(result)) {
        log.push({ ...base, outcome: 'delivered' });
        return;
      }
      if (attempt === ATTEMPTS || !isRetried(result)) {
        log.push({ ...base, outcome: 'failed' });
        break;
      }
      log.push({ ...base, outcome: 'retry-scheduled' });
      if (!(await work.sleep((RETRY_DELAYS_MS[attempt - 1] ?? 0) * retryScale))) return;
    }
    // Akeneo falls back to the technical email so that a status change is never silently lost.
    if (!emailChosen) log.push({ ...record, channel: 'email', outcome: 'fallback-email' });
  }
}
