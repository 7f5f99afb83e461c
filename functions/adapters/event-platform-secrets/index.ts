export type { EventPlatformSecretStore, EventPlatformSecrets } from './interface';
