import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  AkeneoCustomApp,
  type AkeneoCustomAppProps,
  type LogLevel,
  PRODUCT_SOURCES,
  type ProductSource,
} from './akeneo-custom-app';

export interface AkeneoCustomAppStackProps extends StackProps {
  /** Settings of the app; each one set here wins over its CDK context key. @default - from context, else defaults */
  readonly app?: AkeneoCustomAppProps;
}

/**
 * CDK context keys (`cdk.json`, or `-c key=value`) read by the stack. An empty string means "use the default".
 */
export const CONTEXT_KEYS = {
  scopes: 'akeneo:scopes',
  secretNamePrefix: 'akeneo:secretNamePrefix',
  credentialsMaxAgeSeconds: 'akeneo:credentialsMaxAgeSeconds',
  logRetentionDays: 'akeneo:logRetentionDays',
  logLevel: 'akeneo:logLevel',
  serviceName: 'akeneo:serviceName',
  customDomainName: 'akeneo:customDomainName',
  certificateArn: 'akeneo:certificateArn',
  dataRemovalPolicy: 'akeneo:dataRemovalPolicy',
  syncScheduleMinutes: 'akeneo:syncScheduleMinutes',
  exportRetentionDays: 'akeneo:exportRetentionDays',
  exampleWorker: 'akeneo:exampleWorker',
  productSource: 'akeneo:productSource',
  catalogName: 'akeneo:catalogName',
  reconcileHours: 'akeneo:reconcileHours',
} as const;

/** Deploys one `AkeneoCustomApp` and outputs what ops need after `cdk deploy`. */
export class AkeneoCustomAppStack extends Stack {
  readonly app: AkeneoCustomApp;

  constructor(scope: Construct, id: string, props: AkeneoCustomAppStackProps = {}) {
    super(scope, id, {
      description:
        'Akeneo PIM custom app backend: connection flow, per-PIM credentials, KMS-encrypted tokens, scheduled sync',
      ...props,
    });
    this.app = new AkeneoCustomApp(this, 'App', { ...appPropsFromContext(this), ...props.app });
    const app = this.app;

    new CfnOutput(this, 'ActivateUrl', {
      value: app.activateUrl,
      description: "Activate URL: paste into the PIM's Create an App form",
    });
    new CfnOutput(this, 'CallbackUrl', {
      value: app.callbackUrl,
      description: "Callback URL: paste into the PIM's Create an App form",
    });
    new CfnOutput(this, 'SecretPrefix', {
      value: app.secretNamePrefix,
      description: "Register each PIM's client id and secret as <prefix>/<pim host, ':' as '_'>",
    });
    new CfnOutput(this, 'StatesTableName', {
      value: app.statesTable.tableName,
      description: 'Authorization states (expire after minutes)',
    });
    new CfnOutput(this, 'ConnectionsTableName', {
      value: app.connectionsTable.tableName,
      description: 'Connected PIMs and their encrypted tokens',
    });
    new CfnOutput(this, 'OpsPolicyArn', {
      value: app.opsPolicy.managedPolicyArn,
      description: 'Attach to the users or roles that run the ops CLI',
    });
    new CfnOutput(this, 'ExportBucketName', {
      value: app.exportBucket.bucketName,
      description: 'Exported products: <pim host>/products/<run id>/part-NNNNN.ndjson, then manifest.json',
    });
    new CfnOutput(this, 'SyncQueueUrl', {
      value: app.syncQueue.queueUrl,
      description: 'FIFO queue of sync runs, one message group per PIM',
    });
    new CfnOutput(this, 'SyncDeadLetterQueueUrl', {
      value: app.syncDeadLetterQueue.queueUrl,
      description: 'Sync runs that failed every retry (an alarm fires on the first one)',
    });
    new CfnOutput(this, 'RunEventsBusName', {
      value: app.runEventsBus.eventBusName,
      description: 'EventBridge bus of the Sync Run Completed events (source akeneo-custom-app), one per completed run',
    });
    new CfnOutput(this, 'EventsWebhookUrlPattern', {
      value: `${app.eventWebhooksBaseUrl}events/<pim host key>`,
      description: "The Event Platform's product events webhook of a PIM (set by the app when it subscribes)",
    });
    new CfnOutput(this, 'EventNotificationsWebhookUrlPattern', {
      value: `${app.eventWebhooksBaseUrl}event-notifications/<pim host key>`,
      description: "The Event Platform's notification webhook of a PIM (subscription revoked, suspended, resumed)",
    });
    new CfnOutput(this, 'EventsQueueUrl', {
      value: app.eventsQueue.queueUrl,
      description: 'FIFO queue of product events, one message group per PIM, deduplicated by event id',
    });
    new CfnOutput(this, 'EventsDeadLetterQueueUrl', {
      value: app.eventsDeadLetterQueue.queueUrl,
      description: 'Product events that failed every retry (an alarm fires on the first one)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: app.alarmTopic.topicArn,
      description: 'Subscribe to receive the alarms',
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: app.dashboardUrl,
      description: 'The CloudWatch dashboard: connect funnel, sync throughput, errors and lag, queue, functions',
    });
    if (app.endpoint.domainName) {
      new CfnOutput(this, 'CustomDomainTarget', {
        value: app.endpoint.domainName.regionalDomainName,
        description: 'Point a CNAME (or alias) record of the custom domain at this name',
      });
    }
  }
}

/** Reads the context keys; a malformed value fails with the key's name and how to fix it. */
export function appPropsFromContext(scope: Construct): AkeneoCustomAppProps {
  const problems: string[] = [];
  const text = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push(`${key}: give a string, a number or a boolean.`);
      return undefined;
    }
    return String(value).trim() || undefined;
  };
  const wholeNumber = (key: string): number | undefined => {
    const raw = text(key);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) problems.push(`${key}: give a whole number (got ${JSON.stringify(raw)}).`);
    return Number(raw);
  };

  const scopes = text(CONTEXT_KEYS.scopes)?.split(/\s+/);
  const maxAge = wholeNumber(CONTEXT_KEYS.credentialsMaxAgeSeconds);
  const retention = wholeNumber(CONTEXT_KEYS.logRetentionDays);
  const syncMinutes = wholeNumber(CONTEXT_KEYS.syncScheduleMinutes);
  const exportDays = wholeNumber(CONTEXT_KEYS.exportRetentionDays);
  const reconcileHours = wholeNumber(CONTEXT_KEYS.reconcileHours);
  const domainName = text(CONTEXT_KEYS.customDomainName);
  const certificateArn = text(CONTEXT_KEYS.certificateArn);
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    problems.push(
      `${CONTEXT_KEYS.customDomainName} and ${CONTEXT_KEYS.certificateArn}: set both (custom domain) or neither.`,
    );
  }
  const exampleWorker = text(CONTEXT_KEYS.exampleWorker)?.toLowerCase();
  if (exampleWorker !== undefined && exampleWorker !== 'true' && exampleWorker !== 'false') {
    problems.push(`${CONTEXT_KEYS.exampleWorker}: use true or false (got ${JSON.stringify(exampleWorker)}).`);
  }
  const removal = text(CONTEXT_KEYS.dataRemovalPolicy)?.toLowerCase();
  if (removal !== undefined && removal !== 'retain' && removal !== 'destroy') {
    problems.push(`${CONTEXT_KEYS.dataRemovalPolicy}: use "retain" or "destroy" (got ${JSON.stringify(removal)}).`);
  }
  const productSource = text(CONTEXT_KEYS.productSource)?.toLowerCase();
  if (productSource !== undefined && !(PRODUCT_SOURCES as readonly string[]).includes(productSource)) {
    problems.push(
      `${CONTEXT_KEYS.productSource}: use ${PRODUCT_SOURCES.map((source) => JSON.stringify(source)).join(' or ')} ` +
        `(got ${JSON.stringify(productSource)}).`,
    );
  }
  if (problems.length > 0) {
    throw new Error(`Invalid CDK context for the Akeneo custom app:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }

  return withoutUndefined({
    scopes,
    secretNamePrefix: text(CONTEXT_KEYS.secretNamePrefix),
    credentialsMaxAge: maxAge === undefined ? undefined : Duration.seconds(maxAge),
    logRetention: retention as RetentionDays | undefined,
    logLevel: text(CONTEXT_KEYS.logLevel)?.toUpperCase() as LogLevel | undefined,
    serviceName: text(CONTEXT_KEYS.serviceName),
    customDomain: domainName && certificateArn ? { domainName, certificateArn } : undefined,
    dataRemovalPolicy:
      removal === undefined ? undefined : removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    syncSchedule: syncMinutes === undefined ? undefined : Duration.minutes(syncMinutes),
    exportRetention: exportDays === undefined ? undefined : Duration.days(exportDays),
    exampleWorker: exampleWorker === undefined ? undefined : exampleWorker === 'true',
    productSource: productSource as ProductSource | undefined,
    catalogName: text(CONTEXT_KEYS.catalogName),
    reconcilePeriod: reconcileHours === undefined ? undefined : Duration.hours(reconcileHours),
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
