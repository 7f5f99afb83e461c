/** A custom app's credentials, as shown by *that* PIM's *Create an App* (or *Regenerate*) screen. */
export interface PimCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface CredentialsLookupOptions {
  /** Bypass any cache: used after the PIM answered `invalid_client`, in case ops just rotated the secret. */
  readonly fresh?: boolean;
}

/** Where each PIM's credentials are registered; `undefined` means the PIM is not registered. */
export interface CredentialsRegistry {
  get(pimHost: string, options?: CredentialsLookupOptions): Promise<PimCredentials | undefined>;
}
