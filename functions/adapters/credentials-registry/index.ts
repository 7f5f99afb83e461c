export { MalformedCredentialsError } from './errors';
export type { CredentialsRegistry, PimCredentials } from './interface';
export { LocalFileCredentialsRegistry, type RegisteredPim } from './local-file';
export { SecretsManagerCredentialsRegistry } from './secrets-manager';
