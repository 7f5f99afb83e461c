import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { request } from 'undici';
import type { EventPlatformSecrets } from '../../functions/adapters/event-platform-secrets';
import { LocalFileEventPlatformSecretStore } from '../../functions/adapters/event-platform-secrets';
import type { Config } from '../../functions/config';
import { eventsWebhookUrl, notificationsWebhookUrl } from '../../functions/contract/event-platform';
import type { Connection } from '../../functions/core/connection';
import { createDocumentClient } from '../../functions/wiring/adapters/dynamodb';
import { awsClients } from '../../functions/wiring/aws-clients';
import type { SandboxPim } from '../../sandbox';

/** What subscribing needs of a running local app (a test's, or the bench's). */
export interface SubscribableApp {
  readonly url: string;
  readonly config: Config;
  readonly pimHost: string;
  readonly clientId: string;
  readonly sandbox: SandboxPim;
  readonly connections: { get(pimHost: string): Promise<Connection | undefined> };
}

/** What a test needs to deliver as Akeneo's Event Platform would: the PIM's secrets and its subscription id. */
export interface EventPlatformFixture {
  readonly secrets: EventPlatformSecrets;
  readonly subscriptionId: string;
  readonly eventsUrl: string;
  readonly notificationsUrl: string;
}

/**
 * The connected test app's PIM as subscribed: its secrets (those the app stored, or new ones) and a subscription id on
 * its connection (the one stored at connect, or a new one; or the one `subscribe` made with those secrets), as
 * subscribing at connect leaves them.
 */
export async function subscribedPim(
  app: SubscribableApp,
  subscribe?: (secrets: EventPlatformSecrets) => Promise<string>,
): Promise<EventPlatformFixture> {
  const store = new LocalFileEventPlatformSecretStore(app.config.dataDir);
  const secrets = await store.ensure(app.pimHost, () => ({
    events: { primary: randomBytes(32).toString('hex') },
    notifications: randomBytes(32).toString('hex'),
  }));
  const stored = subscribe ? undefined : (await app.connections.get(app.pimHost))?.eventPlatform?.subscriptionId;
  const subscriptionId = stored ?? (subscribe ? await subscribe(secrets) : randomUUID());
  if (stored === undefined) {
    await createDocumentClient(app.config, awsClients('callback')).send(
      new UpdateCommand({
        TableName: app.config.connectionsTableName,
        Key: { pimHost: app.pimHost },
        UpdateExpression: 'SET eventPlatform = :eventPlatform',
        ExpressionAttributeValues: {
          ':eventPlatform': {
            state: 'active',
            subscriberId: randomUUID(),
            subscriptionId,
            changedAt: new Date().toISOString(),
          },
        },
      }),
    );
  }
  return {
    secrets,
    subscriptionId,
    eventsUrl: eventsWebhookUrl(app.url, app.pimHost),
    notificationsUrl: notificationsWebhookUrl(app.url, app.pimHost),
  };
}

export function sign(body: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export interface ProductEventInput {
  readonly subscriptionId: string;
  readonly uuid: string;
  readonly change?: 'created' | 'updated' | 'deleted';
  readonly id?: string;
  readonly time?: Date;
  readonly author?: { readonly identifier: string; readonly type: string };
}

/** A CloudEvents 1.0 product event as the Event Platform delivers it. */
export function productEvent(input: ProductEventInput): string {
  return JSON.stringify({
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    source: 'pim',
    type: `com.akeneo.pim.v1.product.${input.change ?? 'updated'}`,
    subject: input.subscriptionId,
    time: (input.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    data: {
      product: { uuid: input.uuid },
      author: input.author ?? { identifier: 'julia', type: 'ui' },
    },
  });
}

export function notification(subscriptionId: string, type: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    notification_type: type,
    timestamp: new Date().toISOString(),
    subscription_id: subscriptionId,
    subscriber_id: 'subscriber-1',
    subject: 'https://pim.example.com',
    ...extra,
  });
}

/** POSTs a body with the given signature headers (none when `signatures` is empty). */
export async function deliver(
  url: string,
  body: string | Buffer,
  signatures: { readonly primary?: string; readonly secondary?: string } = {},
): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signatures.primary !== undefined) headers['x-akeneo-signature-primary'] = signatures.primary;
  if (signatures.secondary !== undefined) headers['x-akeneo-signature-secondary'] = signatures.secondary;
  if (signatures.primary !== undefined || signatures.secondary !== undefined) {
    headers['x-akeneo-signature-algorithm'] = 'HmacSHA256';
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  await response.arrayBuffer();
  return response.status;
}

const PRODUCT_EVENT_TYPES = ['created', 'updated', 'deleted'].map((change) => `com.akeneo.pim.v1.product.${change}`);

/**
 * The app's subscriber (with its notification webhook) and its product events subscription in the sandbox's Event
 * Platform, created through its management API with the app's token, as subscribing at connect does; the permission
 * ticked first. Stored on the connection with the secrets, ready for the sandbox to deliver.
 */
export async function subscribedInSandbox(app: SubscribableApp): Promise<EventPlatformFixture> {
  app.sandbox.setEventPlatformPermission(app.clientId, true);
  const token = app.sandbox.connectedApp(app.clientId)?.accessToken ?? '';
  const create = async (path: string, body: unknown) => {
    const answer = await request(`${app.sandbox.eventPlatformUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-pim-url': app.sandbox.url,
        'x-pim-token': token,
        'x-pim-client-id': app.clientId,
      },
      body: JSON.stringify(body),
    });
    const created = (await answer.body.json()) as { id: string };
    if (answer.statusCode !== 201) throw new Error(`The sandbox answered ${answer.statusCode} to POST ${path}`);
    return created.id;
  };
  return subscribedPim(app, async (secrets) => {
    const subscriberId = await create('/subscribers', {
      name: 'Local app',
      contact: {
        technical_email: 'ops@example.com',
        notification_channels: ['webhook'],
        notification_webhook_url: notificationsWebhookUrl(app.url, app.pimHost),
        notification_webhook_secret: secrets.notifications,
      },
    });
    return create(`/subscribers/${subscriberId}/subscriptions`, {
      source: 'pim',
      subject: app.sandbox.url,
      events: PRODUCT_EVENT_TYPES,
      type: 'https',
      config: { url: eventsWebhookUrl(app.url, app.pimHost), secret: { primary: secrets.events.primary } },
      filter: `not user="${app.clientId}"`,
    });
  });
}
