export type {
  DeliveryOutcome,
  EventDeliveryFault,
  EventDeliveryRecord,
  EventPlatformOptions,
  EventSubscriptionView,
  NotificationRecord,
  NotificationType,
  SubscriptionStatus,
} from './event-platform/types';
export { startSandboxPim } from './sandbox-pim';
export type {
  ApiFault,
  ApiStats,
  CatalogSelection,
  IdTokenTamper,
  SandboxApp,
  SandboxAppInput,
  SandboxCatalog,
  SandboxOptions,
  SandboxPim,
  SandboxUser,
  TokenEndpointFault,
  TokenRequestRecord,
} from './types';
