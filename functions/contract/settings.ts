import {
  AKENEO_EVENT_PLATFORM_URL,
  eventPlatformUrlProblem,
  PIM_URL_PLACEHOLDER,
  SANDBOX_EVENT_PLATFORM_URL,
} from '../core/event-platform';
import { catalogNameProblem, DEFAULT_CATALOG_NAME, PRODUCT_SOURCES, type ProductSource } from '../core/product-source';
import { defaultAppScopes, isValidScope, parseScopeString, scopesMissingFor } from '../core/scopes';
import { SYNC_OVERLAP_SECONDS } from '../core/sync-window';
import {
  DEFAULT_SECRET_PREFIX,
  isValidSecretPrefix,
  normaliseSecretPrefix,
  SECRET_PREFIX_RULE,
  SERVICE_NAME,
} from './names';
import { CONNECTIONS_STATUS_INDEX } from './tables';

/**
 * Every setting of the runtime: its environment variable, its default, how it is read and checked, and one line
 * that says what it is for. `loadConfig` reads them all; the stack sets each function's through
 * `functionEnvironment`; the README's configuration table lists them (a test compares the two).
 */

export const APP_MODES = ['local', 'aws'] as const;
export type AppMode = (typeof APP_MODES)[number];
export const CREDENTIALS_STORES = ['secrets-manager', 'local-file'] as const;
export type CredentialsStoreKind = (typeof CREDENTIALS_STORES)[number];
export const EXPORT_SINKS = ['s3', 'local-directory'] as const;
export type ExportSinkKind = (typeof EXPORT_SINKS)[number];
/** Log levels the Powertools Logger understands. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What reading one setting may look at besides its own value. */
export interface SettingContext {
  /** `APP_MODE` is read first: several defaults differ locally. */
  readonly local: boolean;
  /** Another setting's value as given: trimmed, undefined when unset or blank. */
  given(setting: { readonly env: string }): string | undefined;
  /** Records a problem; `loadConfig` reports every problem at once. */
  problem(message: string): void;
}

export interface Setting<T> {
  /** The environment variable. */
  readonly env: string;
  /** What it is for, in one line. */
  readonly doc: string;
  /** The default, in words. */
  readonly default: string;
  /** The value from the variable as given (trimmed, undefined when unset or blank). */
  read(given: string | undefined, context: SettingContext): T;
}

/** A value read from a setting, for the `Config` type. */
export type SettingValue<S> = S extends Setting<infer T> ? T : never;

interface Limits {
  readonly defaultValue: number;
  readonly min: number;
  readonly max: number;
}

function optional(env: string, doc: string, defaultDoc = 'none'): Setting<string | undefined> {
  return { env, doc, default: defaultDoc, read: (given) => given };
}

function withDefault(env: string, doc: string, fallback: string): Setting<string> & { readonly defaultValue: string } {
  return { env, doc, default: `\`${fallback}\``, defaultValue: fallback, read: (given) => given ?? fallback };
}

/** A resource name the stack sets on AWS; locally it has a default. */
function resourceName(env: string, doc: string, local: string): Setting<string | undefined> {
  return {
    env,
    doc,
    default: `set by the stack; local: \`${local}\``,
    read: (given, context) => given ?? (context.local ? local : undefined),
  };
}

function wholeNumber(env: string, doc: string, limits: Limits): Setting<number> & Limits {
  const fallback = limits.defaultValue;
  return {
    env,
    doc: `${doc} (${limits.min} to ${limits.max})`,
    default: `\`${fallback}\``,
    ...limits,
    read(given, { problem }) {
      if (given === undefined) return fallback;
      const value = Number(given);
      if (!Number.isInteger(value) || value < limits.min || value > limits.max) {
        problem(`${env} must be a whole number from ${limits.min} to ${limits.max} (got "${given}")`);
        return fallback;
      }
      return value;
    },
  };
}

function oneOf<T extends string>(
  env: string,
  doc: string,
  values: readonly T[],
  fallback: (context: SettingContext) => T,
  defaultDoc: string,
): Setting<T> & { readonly values: readonly T[] } {
  return {
    env,
    doc,
    default: defaultDoc,
    values,
    read(given, context) {
      if (given === undefined) return fallback(context);
      if (!(values as readonly string[]).includes(given)) {
        context.problem(`${env} must be one of ${values.join(', ')} (got "${given}")`);
        return fallback(context);
      }
      return given as T;
    },
  };
}

function flag(env: string, doc: string): Setting<boolean> {
  const choice = oneOf(env, doc, ['true', 'false'], () => 'false', '`false`');
  return { ...choice, read: (given, context) => choice.read(given, context) === 'true' };
}

/** Powertools takes the level in upper or lower case; so does this check. */
function logLevel(): Setting<LogLevel> & { readonly values: readonly LogLevel[]; readonly defaultValue: LogLevel } {
  const choice = oneOf(
    'POWERTOOLS_LOG_LEVEL',
    `log level: ${LOG_LEVELS.join(', ')}`,
    LOG_LEVELS,
    () => 'INFO',
    '`INFO`',
  );
  return { ...choice, defaultValue: 'INFO', read: (given, context) => choice.read(given?.toUpperCase(), context) };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The app's public base URL: https, or locally http on a loopback host; no query, fragment or credentials. */
function publicBaseUrl(env: string, doc: string, defaultDoc: string): Setting<string | undefined> {
  return {
    env,
    doc,
    default: defaultDoc,
    read(given, { local, problem }) {
      if (given === undefined) return undefined;
      const url = URL.canParse(given) ? new URL(given) : undefined;
      const loopbackHttp = local && url?.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
      const usable =
        url !== undefined &&
        (url.protocol === 'https:' || loopbackHttp) &&
        url.username === '' &&
        url.password === '' &&
        url.search === '' &&
        url.hash === '';
      if (!usable) {
        problem(`${env} must be an https URL without query or fragment${local ? ' (or http on localhost)' : ''}`);
        return undefined;
      }
      return given.replace(/\/+$/, '');
    },
  };
}

const exportBucketName = optional(
  'EXPORT_BUCKET_NAME',
  "the sync's S3 bucket; locally, an S3-compatible store's",
  'set by the stack; local: none',
);

const productSource = oneOf(
  'PRODUCT_SOURCE',
  "what the sync reads: `products` (every product the token can see) or `catalog` (the app's catalog in each PIM, " +
    'whose products the PIM user chooses)',
  PRODUCT_SOURCES,
  () => 'products',
  '`products`',
);

/** The product source as given, for the settings that depend on it; a bad value is reported by its own setting. */
function givenProductSource(context: SettingContext): ProductSource {
  return context.given(productSource) === 'catalog' ? 'catalog' : 'products';
}

/** Keyed by the field of `Config` each one fills, in the order of the README's configuration table. */
export const SETTINGS = {
  mode: oneOf(
    'APP_MODE',
    '`local` accepts http loopback PIMs and uses the local adapters (`npm start` sets it)',
    APP_MODES,
    () => 'aws',
    '`aws`',
  ),
  scopes: {
    env: 'APP_SCOPES',
    doc: 'space-separated scopes requested at activation',
    default: 'see below',
    read(given, context) {
      const source = givenProductSource(context);
      const scopes = parseScopeString(given ?? defaultAppScopes(source).join(' '));
      const bad = scopes.filter((scope) => !isValidScope(scope));
      if (bad.length > 0) context.problem(`APP_SCOPES has invalid scopes: ${bad.join(', ')}`);
      if (scopes.length === 0) context.problem('APP_SCOPES must list at least one scope');
      const missing = scopesMissingFor(source, scopes);
      if (missing.length > 0) {
        context.problem(`APP_SCOPES must include ${missing.join(', ')} when PRODUCT_SOURCE is catalog`);
      }
      return scopes as readonly string[];
    },
  } satisfies Setting<readonly string[]>,
  credentialsStore: oneOf(
    'CREDENTIALS_STORE',
    'where PIM credentials are read',
    CREDENTIALS_STORES,
    ({ local }) => (local ? 'local-file' : 'secrets-manager'),
    '`local-file` locally, `secrets-manager` on AWS',
  ),
  credentialsSecretPrefix: {
    env: 'CREDENTIALS_SECRET_PREFIX',
    doc: `Secrets Manager name prefix (${SECRET_PREFIX_RULE})`,
    default: `\`${DEFAULT_SECRET_PREFIX}\``,
    read(given, { problem }) {
      const prefix = normaliseSecretPrefix(given ?? DEFAULT_SECRET_PREFIX);
      if (!isValidSecretPrefix(prefix)) problem(`CREDENTIALS_SECRET_PREFIX may only contain ${SECRET_PREFIX_RULE}`);
      return prefix;
    },
  } satisfies Setting<string>,
  credentialsMaxAgeSeconds: wholeNumber(
    'CREDENTIALS_MAX_AGE_SECONDS',
    "how long a function caches a PIM's credentials",
    { defaultValue: 60, min: 0, max: 300 },
  ),
  /**
   * The authorization code dies 30 s after issue: the token request and its one retry (2 × 5 s at worst) must fit
   * well inside it, and inside the callback's 15-s Lambda timeout.
   */
  pimTimeoutMs: wholeNumber(
    'PIM_TIMEOUT_MS',
    'limit on each call to a PIM during a connection, connect to last byte; the code dies in 30 s',
    { defaultValue: 5_000, min: 100, max: 6_000 },
  ),
  syncScheduleMinutes: wholeNumber('SYNC_SCHEDULE_MINUTES', 'the schedule slot length, for deduplicating dispatches', {
    defaultValue: 15,
    min: 1,
    max: 1440,
  }),
  syncOverlapSeconds: wholeNumber(
    'SYNC_OVERLAP_SECONDS',
    "how far each sync run reaches back before the previous run's start",
    { defaultValue: SYNC_OVERLAP_SECONDS, min: 1, max: 3600 },
  ),
  productSource,
  catalogName: {
    env: 'CATALOG_NAME',
    doc: "catalog source: the name of the app's catalog in each PIM, by which the app finds it (1 to 255 characters)",
    default: `\`${DEFAULT_CATALOG_NAME}\``,
    defaultValue: DEFAULT_CATALOG_NAME,
    read(given, { problem }) {
      const name = given ?? DEFAULT_CATALOG_NAME;
      const wrong = catalogNameProblem(name);
      if (wrong !== undefined) problem(`CATALOG_NAME ${wrong}`);
      return name;
    },
  } satisfies Setting<string> & { readonly defaultValue: string },
  reconcileHours: wholeNumber(
    'RECONCILE_HOURS',
    'hours between two reconciliation passes of a PIM (the listing of every product, to find the deleted ones)',
    { defaultValue: 24, min: 1, max: 2160 },
  ),
  exportSink: oneOf(
    'EXPORT_SINK',
    'where the sync writes the products: `s3` (the export bucket) or `local-directory` (`DATA_DIR/exports/`)',
    EXPORT_SINKS,
    ({ local, given }) => (!local || given(exportBucketName) !== undefined ? 's3' : 'local-directory'),
    '`s3` on AWS; locally `s3` if `EXPORT_BUCKET_NAME` is set, else `local-directory`',
  ),
  exportBucketName,
  s3ForcePathStyle: flag('S3_FORCE_PATH_STYLE', 'local: path-style S3 for an S3-compatible store on localhost'),
  runEventsBusName: optional(
    'RUN_EVENTS_BUS_NAME',
    'the EventBridge bus told of each completed sync run; locally, unset: the events go to `DATA_DIR/events/`',
    'set by the stack; local: none',
  ),
  eventPlatformUrl: {
    env: 'EVENT_PLATFORM_URL',
    doc: `the Event Platform's management API; \`${PIM_URL_PLACEHOLDER}\` at its start stands for the PIM's URL`,
    default: `\`${AKENEO_EVENT_PLATFORM_URL}\`; local: \`${SANDBOX_EVENT_PLATFORM_URL}\` (the sandbox PIM's own)`,
    read(given, { local, problem }) {
      const value = given ?? (local ? SANDBOX_EVENT_PLATFORM_URL : AKENEO_EVENT_PLATFORM_URL);
      const why = eventPlatformUrlProblem(value, { local });
      if (why !== undefined) problem(`EVENT_PLATFORM_URL cannot be used: ${why} (got "${given}")`);
      return value;
    },
  } satisfies Setting<string>,
  appPublicUrl: publicBaseUrl(
    'APP_PUBLIC_URL',
    "the app's public base URL, where the Event Platform delivers each PIM's events and notifications; unset: the app does not subscribe",
    "set by the stack; local: the local server's URL",
  ),
  eventPlatformContactEmail: {
    env: 'EVENT_PLATFORM_CONTACT_EMAIL',
    doc: "the technical email of each PIM's Event Platform subscriber (Akeneo writes to it about the subscription)",
    default: 'the email of the PIM user who connected',
    read(given, { problem }) {
      if (given !== undefined && (given.length > 255 || !EMAIL.test(given))) {
        problem(`EVENT_PLATFORM_CONTACT_EMAIL must be an email address (got "${given}")`);
        return undefined;
      }
      return given;
    },
  } satisfies Setting<string | undefined>,
  eventPlatformTimeoutMs: wholeNumber(
    'EVENT_PLATFORM_TIMEOUT_MS',
    "limit on the callback's whole Event Platform step, all its calls together; past it the connection is made without",
    { defaultValue: 4_000, min: 100, max: 8_000 },
  ),
  dataDir: withDefault(
    'DATA_DIR',
    'local: `dynamodb/` (the embedded database) with `dynamodb-key` (its random key) and `dynamodb-endpoint.json`; ' +
      '`credentials.json` and `token-key` (mode 0600); `event-platform-secrets/` (one 0600 file per PIM); `exports/` ' +
      '(parts, manifests, reconciliation snapshots); `events/` (run events); `sandbox-pim.json` and ' +
      "`rehearsal-pim.json` (the sandboxes' state); `data-dir.lock` (one `npm start` per directory)",
    '.local',
  ),
  dynamodbEndpoint: optional(
    'DYNAMODB_ENDPOINT',
    'local: use another DynamoDB (DynamoDB Local, say) instead of the embedded one',
    'embedded',
  ),
  statesTableName: resourceName('STATES_TABLE_NAME', 'the authorization states table', 'akeneo-authorization-states'),
  connectionsTableName: resourceName('CONNECTIONS_TABLE_NAME', 'the connections table', 'akeneo-connections'),
  connectionsStatusIndex: {
    ...withDefault(
      'CONNECTIONS_STATUS_INDEX',
      "the connections table's index by status, which the sync dispatch reads",
      CONNECTIONS_STATUS_INDEX.name,
    ),
    default: `\`${CONNECTIONS_STATUS_INDEX.name}\`, set by the stack`,
  },
  callSlotsTableName: resourceName(
    'CALL_SLOTS_TABLE_NAME',
    "the call slots table: the leases on each PIM's 4 concurrent calls, shared by every function",
    'akeneo-call-slots',
  ),
  tokenKmsKeyId: optional('TOKEN_KMS_KEY_ID', 'the KMS key of the token cipher (AWS only)', 'set by the stack'),
  syncQueueUrl: optional('SYNC_QUEUE_URL', 'the sync FIFO queue (AWS only)', 'set by the stack'),
  eventsQueueUrl: optional(
    'EVENTS_QUEUE_URL',
    "the events FIFO queue between the Event Platform's webhook and the event worker (AWS only)",
    'set by the stack',
  ),
  serviceName: withDefault('POWERTOOLS_SERVICE_NAME', 'the service name on every log line', SERVICE_NAME),
  logLevel: logLevel(),
} as const;

export type SettingKey = keyof typeof SETTINGS;

/** Every setting's value, as `loadConfig` returns them. */
export type SettingValues = { readonly [K in SettingKey]: SettingValue<(typeof SETTINGS)[K]> };
