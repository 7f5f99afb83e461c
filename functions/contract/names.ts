/**
 * Names the runtime, the stack and the ops CLI must agree on: the service, the functions, and how a PIM host becomes
 * part of a secret name or an object key.
 */

/** The Powertools service name of every function's logs, unless the stack is given another. */
export const SERVICE_NAME = 'akeneo-custom-app';

/** The Lambda functions, by the name of their handler file in `functions/`. */
export const APP_FUNCTIONS = [
  'landing',
  'activate',
  'callback',
  'sync-dispatch',
  'sync-worker',
  'events-webhook',
  'event-notifications-webhook',
  'event-worker',
] as const;
export type AppFunctionName = (typeof APP_FUNCTIONS)[number];

/**
 * The AWS SDK user agent of a function's clients (`customUserAgent`): it names the function on the wire and in
 * CloudTrail's `userAgent`, and the IAM audit attributes each recorded call to a function by it. Keep the format.
 */
export function awsUserAgent(fn: AppFunctionName): string {
  return `akeneo-custom-app/${fn}`;
}

/**
 * A PIM host as it may appear in a Secrets Manager name or an S3 key: a port's colon becomes an underscore
 * (`localhost:3001` → `localhost_3001`), since secret names allow letters, digits and /_+=.@- only.
 */
export function pimHostKey(pimHost: string): string {
  return pimHost.replace(':', '_');
}

/** The reverse of `pimHostKey`: host names have no underscore, so the first one was the port's colon. */
export function pimHostFromKey(key: string): string {
  return key.replace('_', ':');
}

export const DEFAULT_SECRET_PREFIX = 'akeneo-custom-app/pims';
export const MAX_SECRET_PREFIX_LENGTH = 200;
/** Secrets Manager's name characters, in `/`-separated segments: the prefix is followed by `/<pim host key>`. */
const SECRET_PREFIX = /^[A-Za-z0-9_+=.@-]+(\/[A-Za-z0-9_+=.@-]+)*$/;
/** What `isValidSecretPrefix` accepts, for messages. */
export const SECRET_PREFIX_RULE = `letters, digits and /_+=.@-, no empty segment, at most ${MAX_SECRET_PREFIX_LENGTH} characters`;

export function isValidSecretPrefix(prefix: string): boolean {
  return prefix.length <= MAX_SECRET_PREFIX_LENGTH && SECRET_PREFIX.test(prefix);
}

/** A prefix as given in a setting or a flag: `akeneo-custom-app/pims/` means `akeneo-custom-app/pims`. */
export function normaliseSecretPrefix(prefix: string): string {
  return prefix.replace(/\/+$/, '');
}

/** The secret that holds one PIM's client id and secret. */
export function secretNameFor(prefix: string, pimHost: string): string {
  return `${prefix}/${pimHostKey(pimHost)}`;
}

/** The last segment of the secret that holds a PIM's Event Platform signing secrets, beside its credentials. */
export const EVENT_PLATFORM_SECRET_SUFFIX = 'event-platform';

/** The secret that holds one PIM's Event Platform signing secrets: `<prefix>/<pim host key>/event-platform`. */
export function eventPlatformSecretNameFor(prefix: string, pimHost: string): string {
  return `${secretNameFor(prefix, pimHost)}/${EVENT_PLATFORM_SECRET_SUFFIX}`;
}
