/**
 * The secrets the app generates for one PIM's Event Platform subscription: the subscription's signing secret (and,
 * during a rotation, the next one as secondary) and the notification webhook's. Kept beside the PIM's credentials
 * (Secrets Manager on AWS), never in the Connections table, a log or a page.
 */
export interface EventPlatformSecrets {
  readonly events: { readonly primary: string; readonly secondary?: string };
  readonly notifications: string;
}

/** Where each PIM's Event Platform secrets are kept; `undefined` means that PIM has none yet. */
export interface EventPlatformSecretStore {
  get(pimHost: string): Promise<EventPlatformSecrets | undefined>;
  /** The PIM's secrets: those stored, or else `generate()`'s, stored first (of two racing calls, one set wins). */
  ensure(pimHost: string, generate: () => EventPlatformSecrets): Promise<EventPlatformSecrets>;
}

/** The same store for whoever also changes a PIM's secrets: a rotation staged by ops, then completed at a connect. */
export interface WritableEventPlatformSecretStore extends EventPlatformSecretStore {
  /** Replaces the PIM's stored secrets; the PIM must have some already. */
  put(pimHost: string, secrets: EventPlatformSecrets): Promise<void>;
}
