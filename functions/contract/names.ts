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

declare const workerNameBrand: unique symbol;
/**
 * A downstream worker's name, as its integrator gives it (`workerName('price-feed')`, and `addPimWorker({ name })`
 * in the stack): it names the worker's AWS calls as the app's own names theirs. Checked once, by `workerName`.
 */
export type WorkerName = string & { readonly [workerNameBrand]: true };

/** Any function that makes AWS calls: one of the app's own, or a downstream worker. */
export type FunctionName = AppFunctionName | WorkerName;

const WORKER_NAME = /^[a-z][a-z0-9-]{0,39}$/;
/** What `workerName` accepts, for messages. */
export const WORKER_NAME_RULE =
  "lower-case letters, digits and hyphens, starting with a letter, at most 40 characters, and not the name of one of the app's own functions";

/**
 * A worker's name, checked: it goes into a user agent token (no `/` or space), and it is never one of the app's own
 * functions, whose calls the worker's would otherwise pass for in CloudTrail and in the IAM audit.
 */
export function workerName(name: string): WorkerName {
  if (!WORKER_NAME.test(name) || (APP_FUNCTIONS as readonly string[]).includes(name)) {
    throw new Error(`"${name}" is not a worker name: use ${WORKER_NAME_RULE}`);
  }
  return name as WorkerName;
}

/**
 * The AWS SDK user agent of a function's clients (`customUserAgent`): it names the function on the wire and in
 * CloudTrail's `userAgent`, and the IAM audit attributes each recorded call to a function by it. Keep the format.
 */
export function awsUserAgent(fn: FunctionName): string {
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
