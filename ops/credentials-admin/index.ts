export type { CredentialsAdmin, CredentialsChange, RegisteredPimSummary } from './interface';
export { LocalFileCredentialsAdmin } from './local-file';
export { SecretsManagerCredentialsAdmin } from './secrets-manager';
