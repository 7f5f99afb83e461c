/**
 * The rules of the app's Event Platform subscription (akeneo-apps-platform.md §2.1), without any I/O: where the
 * management API is for a PIM, what the app subscribes to and how, and what each refusal means in words.
 */

/** Akeneo's management API: one for every PIM. */
export const AKENEO_EVENT_PLATFORM_URL = 'https://event.prd.sdk.akeneo.cloud/api/v1';
/** In `EVENT_PLATFORM_URL`, stands for the PIM's URL: the sandbox PIM serves its platform under its own address. */
export const PIM_URL_PLACEHOLDER = '{pimUrl}';
/** Where each sandbox PIM serves its platform: the local default of `EVENT_PLATFORM_URL`. */
export const SANDBOX_EVENT_PLATFORM_URL = `${PIM_URL_PLACEHOLDER}/event-platform/api/v1`;

/** The product events the sync cares about: a product saved, created or deleted in the PIM. */
export const PRODUCT_EVENT_TYPES = [
  'com.akeneo.pim.v1.product.created',
  'com.akeneo.pim.v1.product.updated',
  'com.akeneo.pim.v1.product.deleted',
] as const;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why `EVENT_PLATFORM_URL` cannot be used, or undefined; `{pimUrl}` may only open it. */
export function eventPlatformUrlProblem(template: string, { local }: { readonly local: boolean }): string | undefined {
  const rest = template.startsWith(PIM_URL_PLACEHOLDER) ? template.slice(PIM_URL_PLACEHOLDER.length) : template;
  if (rest.includes(PIM_URL_PLACEHOLDER)) return `${PIM_URL_PLACEHOLDER} may only open the URL`;
  const example = eventPlatformBaseUrl(template, 'https://pim.example.com');
  if (!URL.canParse(example)) return 'it is not a URL';
  const url = new URL(example);
  if (url.username !== '' || url.password !== '') return 'it must not carry credentials';
  if (url.search !== '' || url.hash !== '') return 'it must have no query and no fragment';
  if (url.protocol === 'https:') return undefined;
  if (local && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return local ? 'it must use https (or http on localhost)' : 'it must use https';
}

/** The management API's base URL for this PIM, without a trailing slash. */
export function eventPlatformBaseUrl(template: string, pimUrl: string): string {
  const expanded = template.startsWith(PIM_URL_PLACEHOLDER)
    ? `${pimUrl.replace(/\/+$/, '')}${template.slice(PIM_URL_PLACEHOLDER.length)}`
    : template;
  return expanded.replace(/\/+$/, '');
}

/**
 * The subscription's filter: every product event but those the app's own API calls caused (their author is the
 * app's client id), or each write-back would come back as an event. A JSON string is the filter grammar's string.
 */
export function withoutOwnWrites(clientId: string): string {
  return `not user=${JSON.stringify(clientId)}`;
}

/** 32 random bytes, base64url: 43 characters, inside the platform's 16 to 256. */
export const SECRET_BYTES = 32;

export function newSigningSecret(randomBytes: (size: number) => Uint8Array): string {
  return Buffer.from(randomBytes(SECRET_BYTES)).toString('base64url');
}

/** What the management API's refusal says about this PIM, for the connected page and `npm run pim -- status`. */
export type PlatformRefusal =
  | { readonly kind: 'status'; readonly status: 401 | 403 | 404 }
  | { readonly kind: 'unreachable'; readonly detail: string }
  | { readonly kind: 'timeout'; readonly limitMs: number };

export function unavailableReason(refusal: PlatformRefusal): string {
  switch (refusal.kind) {
    case 'status':
      return STATUS_REASONS[refusal.status];
    case 'unreachable':
      return `The Event Platform could not be reached (${refusal.detail}); the next Open app tries again`;
    case 'timeout':
      return `The Event Platform did not answer within ${refusal.limitMs} ms; the next Open app tries again`;
  }
}

const STATUS_REASONS: Record<401 | 403 | 404, string> = {
  401:
    'The Event Platform did not accept this PIM or its token (HTTP 401): Community and PaaS editions have no ' +
    'Event Platform',
  403:
    "The Event Platform permission is not ticked in the app's connection settings (HTTP 403): a PIM user ticks it " +
    'under Connect → Connected apps, then clicks Open app',
  404: 'This PIM has no Event Platform (HTTP 404): only Enterprise SaaS and Growth Edition PIMs have it',
};

/** When the platform answered, but not as asked (a limit reached, a field refused): a failure for the logs. */
export function failedReason(status: number): string {
  return `The Event Platform refused to subscribe (HTTP ${status}); the callback's log says why, and the next Open app tries again`;
}

/** The same list of event types, in any order. */
export function sameEventTypes(left: readonly string[], right: readonly string[]): boolean {
  const set = new Set(left);
  return set.size === new Set(right).size && right.every((type) => set.has(type));
}

const STATE_LABELS = {
  active: 'on',
  unavailable: 'not available',
  suspended: 'suspended',
  revoked: 'removed',
} as const;

/** "Live product updates: …" in words, for the connected page and `npm run pim -- status`. */
export function liveUpdatesLabel(eventPlatform: {
  readonly state: keyof typeof STATE_LABELS;
  readonly reason?: string;
}): string {
  const label = STATE_LABELS[eventPlatform.state];
  return eventPlatform.reason === undefined ? label : `${label} (${eventPlatform.reason})`;
}
