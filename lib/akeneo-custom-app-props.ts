import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DEFAULT_SECRET_PREFIX,
  isValidSecretPrefix,
  SECRET_PREFIX_RULE,
  SERVICE_NAME,
} from '../functions/contract/names';
import { LOG_LEVELS, type LogLevel, SETTINGS } from '../functions/contract/settings';
import {
  catalogNameProblem,
  DEFAULT_CATALOG_NAME,
  PRODUCT_SOURCES,
  type ProductSource,
} from '../functions/core/product-source';
import { DEFAULT_APP_SCOPES, defaultAppScopes, isValidScope, scopesMissingFor } from '../functions/core/scopes';

export { LOG_LEVELS, type LogLevel, PRODUCT_SOURCES, type ProductSource };

/** A custom domain for the API: its name and a certificate for it in the stack's region. */
export interface CustomDomain {
  /** The host name, for example `akeneo-app.example.com`. */
  readonly domainName: string;
  /** ARN of an ACM certificate that covers `domainName`, in the same region as the stack. */
  readonly certificateArn: string;
}

/** Settings of the Akeneo custom app backend. A first deploy can take every default. */
export interface AkeneoCustomAppProps {
  /**
   * Akeneo scopes the app asks for at activation (`APP_SCOPES`, space-separated at runtime). The `catalog` product
   * source needs `read_products read_catalogs write_catalogs delete_catalogs` among them.
   * @default DEFAULT_APP_SCOPES - the runtime's default: read access to products and catalog structure, plus openid,
   * email and profile (who connected); with the `catalog` product source, also the three catalog scopes
   */
  readonly scopes?: readonly string[];
  /**
   * What the sync reads in each PIM: `products`, every product the token can see; `catalog`, the products of the app's
   * own catalog in that PIM (Catalogs for Apps), which a PIM user chooses and enables. With `catalog`, each successful
   * connection makes sure the catalog exists and the connected page links to it.
   * @default 'products'
   */
  readonly productSource?: ProductSource;
  /**
   * The name of the app's catalog in each PIM (`catalog` product source), by which the app finds it again once its
   * stored id no longer answers. 1 to 255 characters.
   * @default 'akeneo-custom-app'
   */
  readonly catalogName?: string;
  /**
   * Prefix of the Secrets Manager names that hold each PIM's client id and secret: `<prefix>/<pim host, ':' as '_'>`.
   * The functions can read only secrets under it.
   * @default 'akeneo-custom-app/pims'
   */
  readonly secretNamePrefix?: string;
  /**
   * How long a function keeps a PIM's credentials in memory before reading Secrets Manager again, so that new
   * credentials registered after *Regenerate* in the PIM are picked up without a redeploy.
   * @default Duration.seconds(60) - at most 300 s, the runtime's limit
   */
  readonly credentialsMaxAge?: Duration;
  /**
   * Retention of the functions' and the API's log groups, and of the export bucket's S3 access logs.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Powertools Logger level of every function.
   * @default 'INFO'
   */
  readonly logLevel?: LogLevel;
  /**
   * Powertools service name of every function's logs.
   * @default 'akeneo-custom-app'
   */
  readonly serviceName?: string;
  /**
   * Serve the API on this domain instead of the execute-api URL (you then point a DNS record at the
   * `CustomDomainTarget` output).
   * @default - no custom domain: the execute-api URL
   */
  readonly customDomain?: CustomDomain;
  /**
   * What happens to the tables, the token key and the export buckets when the stack is deleted. Only `DESTROY` for a
   * throwaway dev stack: the tokens and the exports are lost with it.
   * @default RemovalPolicy.RETAIN
   */
  readonly dataRemovalPolicy?: RemovalPolicy;
  /**
   * How often the sync runs: every connected PIM's changed products are exported at this rate. Whole minutes, from 1
   * to 1440 (a day).
   * @default Duration.minutes(15)
   */
  readonly syncSchedule?: Duration;
  /**
   * How long the exported products stay in the export bucket before S3 deletes them. Whole days, at least 1.
   * @default Duration.days(90)
   */
  readonly exportRetention?: Duration;
  /**
   * Deploys the worked example of a downstream worker (`functions/name-with-sku.ts`): on each completed sync run it
   * writes each product's SKU at the end of its English name. It adds `write_products` to the scopes the app requests;
   * a PIM connected before grants it once it connects the app again.
   * @default false
   */
  readonly exampleWorker?: boolean;
  /**
   * How often each PIM gets a reconciliation pass (every product listed, to find the deleted ones): the first right
   * after its first sync, then one per period. Whole hours from 1 to 2160, at most `exportRetention`, which
   * also expires the snapshot the next pass compares with.
   * @default Duration.hours(24)
   */
  readonly reconcilePeriod?: Duration;
}

// The defaults the runtime applies locally, so that local and AWS behave alike.
export const DEFAULT_SCOPES = DEFAULT_APP_SCOPES;
export const DEFAULT_SECRET_NAME_PREFIX = DEFAULT_SECRET_PREFIX;
export const DEFAULT_CREDENTIALS_MAX_AGE = Duration.seconds(SETTINGS.credentialsMaxAgeSeconds.defaultValue);
const { min: MIN_CREDENTIALS_MAX_AGE_SECONDS, max: MAX_CREDENTIALS_MAX_AGE_SECONDS } =
  SETTINGS.credentialsMaxAgeSeconds;
export const DEFAULT_LOG_RETENTION = RetentionDays.ONE_MONTH;
export const DEFAULT_LOG_LEVEL: LogLevel = SETTINGS.logLevel.defaultValue;
export const DEFAULT_SERVICE_NAME = SERVICE_NAME;
export const DEFAULT_SYNC_SCHEDULE = Duration.minutes(SETTINGS.syncScheduleMinutes.defaultValue);
const { min: MIN_SYNC_SCHEDULE_MINUTES, max: MAX_SYNC_SCHEDULE_MINUTES } = SETTINGS.syncScheduleMinutes;
export const DEFAULT_EXPORT_RETENTION = Duration.days(90);
export const DEFAULT_RECONCILE_PERIOD = Duration.hours(SETTINGS.reconcileHours.defaultValue);
const { min: MIN_RECONCILE_HOURS, max: MAX_RECONCILE_HOURS } = SETTINGS.reconcileHours;

/** The props with every default applied. */
export type ResolvedAkeneoCustomAppProps = Required<Omit<AkeneoCustomAppProps, 'customDomain'>> &
  Pick<AkeneoCustomAppProps, 'customDomain'>;

/** Applies the defaults, then checks every prop; one error lists every problem and how to fix it. */
export function resolveProps(props: AkeneoCustomAppProps): ResolvedAkeneoCustomAppProps {
  const productSource = props.productSource ?? 'products';
  const resolved: ResolvedAkeneoCustomAppProps = {
    scopes: props.scopes ?? defaultAppScopes(productSource),
    productSource,
    catalogName: props.catalogName ?? DEFAULT_CATALOG_NAME,
    secretNamePrefix: props.secretNamePrefix ?? DEFAULT_SECRET_NAME_PREFIX,
    credentialsMaxAge: props.credentialsMaxAge ?? DEFAULT_CREDENTIALS_MAX_AGE,
    logRetention: props.logRetention ?? DEFAULT_LOG_RETENTION,
    logLevel: props.logLevel ?? DEFAULT_LOG_LEVEL,
    serviceName: props.serviceName ?? DEFAULT_SERVICE_NAME,
    customDomain: props.customDomain,
    dataRemovalPolicy: props.dataRemovalPolicy ?? RemovalPolicy.RETAIN,
    syncSchedule: props.syncSchedule ?? DEFAULT_SYNC_SCHEDULE,
    exportRetention: props.exportRetention ?? DEFAULT_EXPORT_RETENTION,
    exampleWorker: props.exampleWorker ?? false,
    reconcilePeriod: props.reconcilePeriod ?? DEFAULT_RECONCILE_PERIOD,
  };
  const problems = [
    ...checkScopes(resolved.scopes),
    ...checkProductSource(resolved.productSource, resolved.scopes),
    ...checkCatalogName(resolved.catalogName),
    ...checkSecretNamePrefix(resolved.secretNamePrefix),
    ...checkCredentialsMaxAge(resolved.credentialsMaxAge),
    ...checkLogRetention(resolved.logRetention),
    ...checkLogLevel(resolved.logLevel),
    ...checkServiceName(resolved.serviceName),
    ...checkCustomDomain(resolved.customDomain),
    ...checkRemovalPolicy(resolved.dataRemovalPolicy),
    ...checkSyncSchedule(resolved.syncSchedule),
    ...checkExportRetention(resolved.exportRetention),
    ...checkReconcilePeriod(resolved.reconcilePeriod, resolved.exportRetention),
  ];
  if (problems.length > 0) {
    throw new Error(`Invalid AkeneoCustomApp props:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return resolved;
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;

function checkScopes(scopes: readonly string[]): string[] {
  if (scopes.length === 0) return ['scopes: give at least one Akeneo scope, for example ["openid", "read_products"].'];
  const bad = scopes.filter((s) => !isValidScope(s));
  const duplicates = scopes.filter((s, i) => scopes.indexOf(s) !== i);
  return [
    ...(bad.length > 0
      ? [`scopes: ${bad.map((s) => JSON.stringify(s)).join(', ')} is not an Akeneo scope (lower case and '_').`]
      : []),
    ...(duplicates.length > 0 ? [`scopes: remove the duplicate ${duplicates.join(', ')}.`] : []),
  ];
}

function checkProductSource(source: string, scopes: readonly string[]): string[] {
  if (!(PRODUCT_SOURCES as readonly string[]).includes(source)) {
    return [
      `productSource: ${JSON.stringify(source)} is not a product source; use one of ${PRODUCT_SOURCES.join(', ')}.`,
    ];
  }
  const missing = scopesMissingFor(source as ProductSource, scopes);
  return missing.length > 0
    ? [`scopes: the catalog product source needs ${missing.join(', ')} as well; add them, or leave scopes out.`]
    : [];
}

function checkCatalogName(name: string): string[] {
  if (Token.isUnresolved(name)) return ['catalogName: give a literal string, not a token.'];
  const problem = catalogNameProblem(name);
  return problem === undefined ? [] : [`catalogName: ${JSON.stringify(name)} ${problem}.`];
}

function checkSecretNamePrefix(prefix: string): string[] {
  if (Token.isUnresolved(prefix)) return ['secretNamePrefix: give a literal string, not a token.'];
  if (!isValidSecretPrefix(prefix)) {
    return [
      `secretNamePrefix: ${JSON.stringify(prefix)} is not a usable Secrets Manager name prefix; use ${SECRET_PREFIX_RULE}, ` +
        "without a leading or trailing '/', for example 'akeneo-custom-app/pims'.",
    ];
  }
  return [];
}

function checkCredentialsMaxAge(maxAge: Duration): string[] {
  const seconds = maxAge.toSeconds({ integral: false });
  return Number.isInteger(seconds) &&
    seconds >= MIN_CREDENTIALS_MAX_AGE_SECONDS &&
    seconds <= MAX_CREDENTIALS_MAX_AGE_SECONDS
    ? []
    : [
        `credentialsMaxAge: use whole seconds from ${MIN_CREDENTIALS_MAX_AGE_SECONDS} to ${MAX_CREDENTIALS_MAX_AGE_SECONDS} (got ${seconds}).`,
      ];
}

function checkLogRetention(retention: RetentionDays): string[] {
  return Object.values(RetentionDays).includes(retention)
    ? []
    : [`logRetention: ${retention} is not a CloudWatch Logs retention; use a RetentionDays value such as 30.`];
}

function checkLogLevel(level: string): string[] {
  return (LOG_LEVELS as readonly string[]).includes(level)
    ? []
    : [`logLevel: ${JSON.stringify(level)} is not a Powertools log level; use one of ${LOG_LEVELS.join(', ')}.`];
}

function checkServiceName(name: string): string[] {
  return /^[A-Za-z0-9._-]{1,64}$/.test(name)
    ? []
    : [`serviceName: ${JSON.stringify(name)} must be 1-64 letters, digits, '.', '_' or '-'.`];
}

function checkCustomDomain(domain: CustomDomain | undefined): string[] {
  if (!domain) return [];
  const problems: string[] = [];
  if (!HOST_NAME.test(domain.domainName)) {
    problems.push(
      `customDomain.domainName: ${JSON.stringify(domain.domainName)} is not a lower-case host name such as ` +
        "'akeneo-app.example.com' (no scheme, no path).",
    );
  }
  if (!Token.isUnresolved(domain.certificateArn) && !CERTIFICATE_ARN.test(domain.certificateArn)) {
    problems.push(
      `customDomain.certificateArn: ${JSON.stringify(domain.certificateArn)} is not an ACM certificate ARN ` +
        '(arn:aws:acm:<region>:<account>:certificate/<id>, in the stack region).',
    );
  }
  return problems;
}

function checkRemovalPolicy(policy: RemovalPolicy): string[] {
  return policy === RemovalPolicy.RETAIN || policy === RemovalPolicy.DESTROY
    ? []
    : [`dataRemovalPolicy: use RemovalPolicy.RETAIN (production) or RemovalPolicy.DESTROY (throwaway dev stack).`];
}

function checkSyncSchedule(schedule: Duration): string[] {
  if (schedule.isUnresolved()) return ['syncSchedule: give a literal duration, not a token.'];
  const minutes = schedule.toMinutes({ integral: false });
  return Number.isInteger(minutes) && minutes >= MIN_SYNC_SCHEDULE_MINUTES && minutes <= MAX_SYNC_SCHEDULE_MINUTES
    ? []
    : [
        `syncSchedule: use whole minutes from ${MIN_SYNC_SCHEDULE_MINUTES} to ${MAX_SYNC_SCHEDULE_MINUTES}, for example Duration.minutes(15) ` +
          `(got ${schedule.toHumanString()}).`,
      ];
}

function checkReconcilePeriod(period: Duration, retention: Duration): string[] {
  if (period.isUnresolved()) return ['reconcilePeriod: give a literal duration, not a token.'];
  const hours = period.toHours({ integral: false });
  if (!Number.isInteger(hours) || hours < MIN_RECONCILE_HOURS || hours > MAX_RECONCILE_HOURS) {
    return [
      `reconcilePeriod: use whole hours from ${MIN_RECONCILE_HOURS} to ${MAX_RECONCILE_HOURS}, for example Duration.hours(24) ` +
        `(got ${period.toHumanString()}).`,
    ];
  }
  if (!retention.isUnresolved() && hours > retention.toHours({ integral: false })) {
    return [
      `reconcilePeriod: make it at most exportRetention (${retention.toHumanString()}), which expires the ` +
        `snapshot the next pass compares with (got ${period.toHumanString()}).`,
    ];
  }
  return [];
}

function checkExportRetention(retention: Duration): string[] {
  if (retention.isUnresolved()) return ['exportRetention: give a literal duration, not a token.'];
  const days = retention.toDays({ integral: false });
  return Number.isInteger(days) && days >= 1
    ? []
    : [
        `exportRetention: use whole days, at least 1, for example Duration.days(90) (got ${retention.toHumanString()}).`,
      ];
}
