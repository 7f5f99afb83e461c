import { DynamoDbEventPlatformStateStore } from '../adapters/connection-store';
import type { EventPlatformSecretStore } from '../adapters/event-platform-secrets';
import type { ProductEventQueue } from '../adapters/events-queue';
import { type Config, requireSetting } from '../config';
import type { WebhookHandlerDeps } from '../http/webhook-handler';
import { createLogger } from '../observability/logger';
import { receiveProductEvent, receiveSubscriptionNotification } from '../use-cases/receive-event-delivery';
import { createCredentialsRegistry } from './adapters/credentials-registry';
import { createDocumentClient } from './adapters/dynamodb';
import { createEventPlatformSecretStore } from './adapters/event-platform-secrets';
import { createProductEventQueue } from './adapters/events-queue';
import { type AwsClients, awsClients } from './aws-clients';
import { type RuntimeOptions, systemNow } from './runtime-options';

export interface EventWebhookOptions extends Pick<RuntimeOptions, 'now'> {
  /** Where accepted events go instead of SQS: the local run's in-memory queue. */
  readonly queue?: ProductEventQueue;
  /** The PIMs' signing secrets, instead of those beside the credentials (tests). */
  readonly secrets?: Pick<EventPlatformSecretStore, 'get'>;
}

/** Both webhooks read the connection and the PIM's signing secrets (cached like the credentials). */
function deliveryAdapters(config: Config, aws: AwsClients, options: EventWebhookOptions) {
  return {
    store: new DynamoDbEventPlatformStateStore({
      client: createDocumentClient(config, aws),
      tableName: requireSetting(config, 'connectionsTableName'),
    }),
    secrets:
      options.secrets ??
      createEventPlatformSecretStore(config, aws, { maxAgeSeconds: config.credentialsMaxAgeSeconds }),
  };
}

/** The events webhook also queues (SQS on AWS) and reads the app's client id on the PIM (its own writes are dropped). */
export function createEventsWebhookAdapters(
  config: Config,
  options: EventWebhookOptions = {},
  aws: AwsClients = awsClients('events-webhook'),
) {
  return {
    ...deliveryAdapters(config, aws, options),
    queue: options.queue ?? createProductEventQueue(config, aws),
    credentials: createCredentialsRegistry(config, aws),
  };
}

export function createEventNotificationsWebhookAdapters(
  config: Config,
  options: EventWebhookOptions = {},
  aws: AwsClients = awsClients('event-notifications-webhook'),
) {
  return deliveryAdapters(config, aws, options);
}

/** POST /events/{pimHostKey}: verifies, then queues to the events FIFO queue. */
export function createEventsWebhookDeps(config: Config, options: EventWebhookOptions = {}): WebhookHandlerDeps {
  const { credentials, ...adapters } = createEventsWebhookAdapters(config, options);
  const logger = createLogger(config);
  return {
    receive: receiveProductEvent({
      ...adapters,
      logger,
      ownClientId: async (pimHost) => (await credentials.get(pimHost))?.clientId,
    }),
    logger,
    now: options.now ?? systemNow,
  };
}

/** POST /event-notifications/{pimHostKey}: verifies, then offboards, suspends or resumes. */
export function createEventNotificationsWebhookDeps(
  config: Config,
  options: EventWebhookOptions = {},
): WebhookHandlerDeps {
  const logger = createLogger(config);
  return {
    receive: receiveSubscriptionNotification({ ...createEventNotificationsWebhookAdapters(config, options), logger }),
    logger,
    now: options.now ?? systemNow,
  };
}
