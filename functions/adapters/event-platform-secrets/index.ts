export type {
  EventPlatformSecretStore,
  EventPlatformSecrets,
  WritableEventPlatformSecretStore,
} from './interface';
export { LocalFileEventPlatformSecretStore } from './local-file';
export { SecretsManagerEventPlatformSecretStore } from './secrets-manager';
