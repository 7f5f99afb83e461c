import type { PimCredentials } from '../../functions/adapters/credentials-registry';
import type { PimAddress } from '../../functions/core/pim-url';

/** A registered PIM as ops sees it: never the secret. */
export interface RegisteredPimSummary {
  readonly pimUrl: string;
  readonly pimHost: string;
  /** Absent when the stored value is not `{"clientId", "clientSecret"}`. */
  readonly clientId?: string;
  /** ISO 8601. */
  readonly lastChangedAt?: string;
  /** Where the credentials live: a file path or a secret name. */
  readonly location: string;
}

export interface CredentialsChange {
  readonly location: string;
  /** The client id that was registered before a rotation. */
  readonly previousClientId?: string;
  /** Secrets Manager only: the version that is now AWSCURRENT. */
  readonly versionId?: string;
}

/** Registers, rotates and removes each PIM's credentials where the app reads them (`CredentialsRegistry`). */
export interface CredentialsAdmin {
  /** Throws `PimAlreadyRegisteredError` when the PIM is registered. */
  add(pim: PimAddress, credentials: PimCredentials): Promise<CredentialsChange>;
  /** Throws `PimNotRegisteredError` when the PIM is unknown. */
  rotate(pim: PimAddress, credentials: PimCredentials): Promise<CredentialsChange>;
  /** `undefined` when the PIM is not registered. */
  find(pim: PimAddress): Promise<RegisteredPimSummary | undefined>;
  list(): Promise<RegisteredPimSummary[]>;
  /** Throws `PimNotRegisteredError` when the PIM is unknown. */
  remove(pim: PimAddress): Promise<{ readonly location: string }>;
  /** A short description of the target, for messages: "the local data directory .local". */
  readonly target: string;
}
