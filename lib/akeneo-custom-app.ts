import * as path from 'node:path';
import { Duration, Lazy, Validations } from 'aws-cdk-lib';
import type { Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { type EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaHandler } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NAME_WITH_SKU_WORKER, WRITE_PRODUCTS_SCOPE } from '../functions/contract/example-worker';
import {
  type PimWorkerSettings,
  pimWorkerEnvironment,
  type SharedSettings,
} from '../functions/contract/function-environment';
import type { WorkerName } from '../functions/contract/names';
import { RUN_COMPLETED_DETAIL_TYPE, RUN_COMPLETED_SOURCE } from '../functions/contract/run-completed-event';
import { CATALOG_STEP_TIMEOUT_MS } from '../functions/core/product-source';
import { scopeString } from '../functions/core/scopes';
import { type AkeneoCustomAppProps, resolveProps } from './akeneo-custom-app-props';
import { AppAlarms } from './constructs/app-alarms';
import { AppDashboard } from './constructs/app-dashboard';
import { AppFunction, PROJECT_ROOT } from './constructs/app-function';
import {
  credentialsWildcardFinding,
  eventPlatformSecretsWildcardFinding,
  grantCreateEventPlatformSecrets,
  grantReadCredentials,
} from './constructs/credentials-access';
import { CALL_SLOT_ACTIONS, DataTables, grantOnItems } from './constructs/data-tables';
import { EventPlatformJobs } from './constructs/event-platform-jobs';
import { HttpEndpoint } from './constructs/http-endpoint';
import { OpsPolicy } from './constructs/ops-policy';
import { grantPimAccess, type PimAccessResources } from './constructs/pim-access-grants';
import { PimWorker, type PimWorkerProps } from './constructs/pim-worker';
import { SyncJobs } from './constructs/sync-jobs';
import { TokenKey } from './constructs/token-key';

export {
  type AkeneoCustomAppProps,
  type CustomDomain,
  type LogLevel,
  PRODUCT_SOURCES,
  type ProductSource,
} from './akeneo-custom-app-props';
export type { PimWorkerProps } from './constructs/pim-worker';

/**
 * The whole Akeneo custom app backend: the HTTP API of the connection flow and its three functions, the scheduled
 * sync (dispatch, FIFO queue, worker, export bucket), the states and connections tables, the token key, the ops
 * policy and the alarms. Every role gets only the calls its code makes.
 */
export class AkeneoCustomApp extends Construct {
  /** Paste into the PIM's *Create an App* form as the activate URL. */
  readonly activateUrl: string;
  /** Paste into the PIM's *Create an App* form as the callback URL. */
  readonly callbackUrl: string;
  readonly secretNamePrefix: string;
  readonly endpoint: HttpEndpoint;
  readonly landingFunction: NodejsFunction;
  readonly activateFunction: NodejsFunction;
  readonly callbackFunction: NodejsFunction;
  /** Invoked by `syncSchedule`: one message per active PIM to `syncQueue`. */
  readonly syncDispatchFunction: NodejsFunction;
  /** Consumes `syncQueue`: exports one PIM's changed products to `exportBucket`. */
  readonly syncWorkerFunction: NodejsFunction;
  readonly syncSchedule: Rule;
  /** FIFO, one message group per PIM host. */
  readonly syncQueue: Queue;
  /** Messages that failed every retry; an alarm fires on the first one. */
  readonly syncDeadLetterQueue: Queue;
  /** The exported products: `<pim host>/products/<run id>/part-NNNNN.ndjson` and `manifest.json`. */
  readonly exportBucket: Bucket;
  /** S3 access logs of `exportBucket`. */
  readonly exportAccessLogBucket: Bucket;
  /**
   * The app's own EventBridge bus: the sync worker puts one `Sync Run Completed` event (source `akeneo-custom-app`)
   * on it per completed run. A downstream consumer's rule goes on this bus.
   */
  readonly runEventsBus: EventBus;
  readonly statesTable: Table;
  readonly connectionsTable: Table;
  /** Each PIM's call slots, shared by every function that calls a PIM: Akeneo's 4 concurrent calls per connection. */
  readonly callSlotsTable: Table;
  readonly tokenKey: Key;
  /** Managed policy for the ops CLI; attach it to the ops users or roles. */
  readonly opsPolicy: ManagedPolicy;
  /** Subscribe to it to receive the alarms. */
  readonly alarmTopic: Topic;
  /**
   * The worked example of a downstream worker (`functions/name-with-sku.ts`), on each `Sync Run Completed` event;
   * deployed only with `exampleWorker: true` (context `akeneo:exampleWorker`).
   */
  readonly exampleWorkerFunction?: NodejsFunction;

  private readonly pimAccess: PimAccessResources;
  private readonly pimWorkerSettings: PimWorkerSettings;
  private readonly alarms: AppAlarms;
  private readonly logRetention: RetentionDays;
  /** POST /events/{pimHostKey}: verifies the Event Platform's product events and queues them to `eventsQueue`. */
  readonly eventsWebhookFunction: NodejsFunction;
  /** POST /event-notifications/{pimHostKey}: offboards a PIM that removed the app; follows suspensions. */
  readonly eventNotificationsWebhookFunction: NodejsFunction;
  /** Consumes `eventsQueue`: each batch of a PIM's product events becomes a small run of the export. */
  readonly eventWorkerFunction: NodejsFunction;
  /** FIFO, one message group per PIM host, deduplicated by event id. */
  readonly eventsQueue: Queue;
  readonly eventsDeadLetterQueue: Queue;
  /** The base of the Event Platform's webhook URLs: `<base>events/<pim host key>`, `<base>event-notifications/…`. */
  readonly eventWebhooksBaseUrl: string;
  /** Ops' dashboard: connect funnel, sync throughput, errors and lag, queue depth and age, functions. */
  readonly dashboard: Dashboard;
  readonly dashboardUrl: string;

  constructor(scope: Construct, id: string, props: AkeneoCustomAppProps = {}) {
    super(scope, id);
    const settings = resolveProps(props);
    this.secretNamePrefix = settings.secretNamePrefix;
    this.logRetention = settings.logRetention;

    const tables = new DataTables(this, 'Data', { removalPolicy: settings.dataRemovalPolicy });
    this.statesTable = tables.states;
    this.connectionsTable = tables.connections;
    this.callSlotsTable = tables.callSlots;
    const tokenKey = new TokenKey(this, 'TokenKey', { removalPolicy: settings.dataRemovalPolicy });
    this.tokenKey = tokenKey.key;

    const shared: SharedSettings = { mode: 'aws', serviceName: settings.serviceName, logLevel: settings.logLevel };
    this.pimAccess = { connections: this.connectionsTable, callSlots: this.callSlotsTable, tokenKey };
    this.pimWorkerSettings = {
      ...shared,
      connectionsTableName: this.connectionsTable.tableName,
      callSlotsTableName: this.callSlotsTable.tableName,
      tokenKmsKeyId: this.tokenKey.keyArn,
    };
    // The example writes products: the PIMs must grant it, at their next connection.
    const scopes =
      settings.exampleWorker && !settings.scopes.includes(WRITE_PRODUCTS_SCOPE)
        ? [...settings.scopes, WRITE_PRODUCTS_SCOPE]
        : settings.scopes;
    const connectionFlow = {
      scopes: scopeString(scopes),
      statesTableName: this.statesTable.tableName,
      credentialsSecretPrefix: settings.secretNamePrefix,
      credentialsMaxAgeSeconds: String(settings.credentialsMaxAge.toSeconds()),
    };

    const landing = new AppFunction(this, 'Landing', {
      name: 'landing',
      description: 'Akeneo custom app: GET / landing page',
      memorySize: 256,
      timeout: Duration.seconds(3),
      settings: shared,
      logRetention: settings.logRetention,
    });
    const activate = new AppFunction(this, 'Activate', {
      name: 'activate',
      description: 'Akeneo custom app: GET /activate, starts the PIM authorization',
      memorySize: 256,
      timeout: Duration.seconds(10),
      settings: { ...shared, ...connectionFlow },
      logRetention: settings.logRetention,
    });
    // The authorization code dies 30 s after the PIM issues it, cold start included. 512 MB buys the CPU for a fast
    // cold start and the token crypto; 15 s stays well inside the window and leaves room for one retry of the token
    // request. The catalog source adds its catalog step after the code is exchanged, outside the window, bounded by
    // CATALOG_STEP_TIMEOUT_MS.
    const catalogSource = settings.productSource === 'catalog';
    const callback = new AppFunction(this, 'Callback', {
      name: 'callback',
      description: 'Akeneo custom app: GET /callback, completes the PIM connection',
      memorySize: 512,
      timeout: Duration.seconds(15 + (catalogSource ? CATALOG_STEP_TIMEOUT_MS / 1000 : 0)),
      settings: {
        ...shared,
        ...connectionFlow,
        connectionsTableName: this.connectionsTable.tableName,
        tokenKmsKeyId: this.tokenKey.keyArn,
        productSource: settings.productSource,
        catalogName: settings.catalogName,
        callSlotsTableName: this.callSlotsTable.tableName,
        // Where the Event Platform delivers: the API's URL, known once the endpoint below exists.
        appPublicUrl: Lazy.string({ produce: () => this.endpoint.baseUrl }),
        syncScheduleMinutes: String(settings.syncSchedule.toMinutes()),
      },
      logRetention: settings.logRetention,
    });
    this.landingFunction = landing.function;
    this.activateFunction = activate.function;
    this.callbackFunction = callback.function;

    // Exactly the SDK calls each handler makes.
    grantReadCredentials(activate.role, this, settings.secretNamePrefix);
    grantOnItems(this.statesTable, activate.role, 'dynamodb:PutItem');

    grantReadCredentials(callback.role, this, settings.secretNamePrefix);
    grantOnItems(this.statesTable, callback.role, 'dynamodb:GetItem', 'dynamodb:UpdateItem');
    grantOnItems(this.connectionsTable, callback.role, 'dynamodb:GetItem', 'dynamodb:UpdateItem');
    tokenKey.grantGenerateDataKey(callback.role);
    // The catalog step calls the PIM through its call slots, shared with the sync and every worker.
    if (catalogSource) grantOnItems(this.callSlotsTable, callback.role, ...CALL_SLOT_ACTIONS);
    grantCreateEventPlatformSecrets(callback.role, this, settings.secretNamePrefix);
    Validations.of(callback.role).acknowledge({
      id: eventPlatformSecretsWildcardFinding(settings.secretNamePrefix),
      reason:
        "Creates a PIM's Event Platform signing secrets the first time that PIM subscribes; PIMs connect after " +
        'deploy, so only the pattern <prefix>/*/event-platform is known here (CreateSecret only; the trailing * is ' +
        'the random ARN suffix).',
    });

    for (const fn of [activate, callback]) {
      Validations.of(fn.role).acknowledge({
        id: credentialsWildcardFinding(settings.secretNamePrefix),
        reason:
          'Reads the credentials of the PIM being connected; ops register one secret per PIM after deploy, so ' +
          'only the prefix is known here (GetSecretValue only; * also matches the random ARN suffix).',
      });
    }

    this.opsPolicy = new OpsPolicy(this, 'Ops', {
      secretNamePrefix: settings.secretNamePrefix,
      connections: this.connectionsTable,
    }).policy;

    const sync = new SyncJobs(this, 'Sync', {
      connections: this.connectionsTable,
      callSlots: this.callSlotsTable,
      tokenKey,
      schedule: settings.syncSchedule,
      exportRetention: settings.exportRetention,
      reconcilePeriod: settings.reconcilePeriod,
      shared,
      productSource: settings.productSource,
      catalogName: settings.catalogName,
      scopes: connectionFlow.scopes,
      logRetention: settings.logRetention,
      removalPolicy: settings.dataRemovalPolicy,
    });
    this.syncDispatchFunction = sync.dispatchFunction;
    this.syncWorkerFunction = sync.workerFunction;
    this.syncSchedule = sync.schedule;
    this.syncQueue = sync.queue.queue;
    this.syncDeadLetterQueue = sync.queue.deadLetterQueue;
    this.exportBucket = sync.exports.bucket;
    this.exportAccessLogBucket = sync.exports.accessLogs;
    this.runEventsBus = sync.runEventsBus;

    const events = new EventPlatformJobs(this, 'EventPlatform', {
      connections: this.connectionsTable,
      callSlots: this.callSlotsTable,
      tokenKey,
      exportBucket: this.exportBucket,
      runEventsBus: this.runEventsBus,
      secretNamePrefix: settings.secretNamePrefix,
      credentialsMaxAge: settings.credentialsMaxAge,
      shared,
      logRetention: settings.logRetention,
    });
    this.eventsWebhookFunction = events.eventsWebhookFunction;
    this.eventNotificationsWebhookFunction = events.notificationsWebhookFunction;
    this.eventWorkerFunction = events.workerFunction;
    this.eventsQueue = events.queue;
    this.eventsDeadLetterQueue = events.deadLetterQueue;

    this.endpoint = new HttpEndpoint(this, 'Http', {
      landing: this.landingFunction,
      activate: this.activateFunction,
      callback: this.callbackFunction,
      logRetention: settings.logRetention,
      customDomain: settings.customDomain,
      eventWebhooks: { events: this.eventsWebhookFunction, notifications: this.eventNotificationsWebhookFunction },
    });
    this.eventWebhooksBaseUrl = this.endpoint.baseUrl;
    this.activateUrl = `${this.endpoint.baseUrl}activate`;
    this.callbackUrl = `${this.endpoint.baseUrl}callback`;

    // The app's own functions by name: the alarms and the dashboard watch the same ones.
    const appFunctions = {
      Landing: this.landingFunction,
      Activate: this.activateFunction,
      Callback: this.callbackFunction,
      SyncDispatch: this.syncDispatchFunction,
      SyncWorker: this.syncWorkerFunction,
      EventsWebhook: this.eventsWebhookFunction,
      EventNotificationsWebhook: this.eventNotificationsWebhookFunction,
      EventWorker: this.eventWorkerFunction,
    };
    this.alarms = new AppAlarms(this, 'Alarms', {
      api: this.endpoint.api,
      functions: appFunctions,
      deadLetterQueues: {
        SyncDeadLetterQueue: this.syncDeadLetterQueue,
        EventsDeadLetterQueue: this.eventsDeadLetterQueue,
      },
      metrics: {
        EventsQueueAge: {
          description:
            'An event waited over 60 s in the events queue: the export is no longer fresh within a minute ' +
            '(the event worker is failing, throttled or behind)',
          metric: this.eventsQueue.metricApproximateAgeOfOldestMessage({
            period: Duration.minutes(5),
            statistic: 'Maximum',
          }),
          threshold: 60,
        },
        EventSubscriptionSuspended: {
          description:
            "A PIM's Event Platform subscription was suspended (the connection's eventPlatform.reason says why): " +
            'its products reach the export by the scheduled sync only until it resumes',
          metric: new MetricFilter(this, 'EventSubscriptionSuspendedFilter', {
            logGroup: events.notificationsLogGroup,
            metricNamespace: 'AkeneoCustomApp',
            metricName: 'EventSubscriptionSuspended',
            filterPattern: FilterPattern.stringValue('$.message', '=', 'Event Platform subscription suspended'),
            metricValue: '1',
          }).metric({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 1,
        },
      },
      serviceName: settings.serviceName,
    });
    this.alarmTopic = this.alarms.topic;
    const dashboard = new AppDashboard(this, 'Dashboard', {
      serviceName: settings.serviceName,
      functions: appFunctions,
      syncQueue: this.syncQueue,
      syncDeadLetterQueue: this.syncDeadLetterQueue,
    });
    this.dashboard = dashboard.dashboard;
    this.dashboardUrl = dashboard.url;

    if (settings.exampleWorker) this.exampleWorkerFunction = this.addExampleWorker();
  }

  /**
   * A downstream worker: a function bundled from `props.entry` with its own log group and role, given exactly what
   * the entry point to the PIMs needs (`grantPimAccess`). Subscribe it to what it reacts to (a rule on
   * `runEventsBus`, a schedule), and grant it whatever else it reads or writes.
   */
  addPimWorker(id: string, props: PimWorkerProps): PimWorker {
    const worker = new PimWorker(this, id, { ...props, logRetention: this.logRetention });
    this.grantPimAccess(worker.function, { name: props.name });
    return worker;
  }

  /**
   * Gives a function exactly what `createPimAccess` needs, for a function built elsewhere: its environment (the
   * Connections and call-slot tables, the token key, the mode and the log settings, through the contract the
   * functions read), item-level GetItem and UpdateItem on the Connections table, the call-slot table's calls,
   * `kms:Decrypt` bound to the `pimHost` context in the role's policy and the key policy, and alarms on its errors and
   * throttles, named after the worker.
   */
  grantPimAccess(fn: LambdaHandler, { name }: { readonly name: WorkerName }): void {
    if (fn.role === undefined) throw new Error(`grantPimAccess: the ${name} function has no role to grant to`);
    for (const [variable, value] of Object.entries(pimWorkerEnvironment(this.pimWorkerSettings))) {
      fn.addEnvironment(variable, value);
    }
    grantPimAccess(fn.role, this.pimAccess);
    this.alarms.watchFunction(alarmName(name), fn);
  }

  private addExampleWorker(): NodejsFunction {
    const worker = this.addPimWorker('NameWithSkuWorker', {
      name: NAME_WITH_SKU_WORKER,
      entry: path.join(PROJECT_ROOT, 'functions', 'name-with-sku.ts'),
      description: "Akeneo custom app: example worker, writes each product's SKU into its English name after a sync",
    });
    new Rule(this, 'NameWithSkuOnRunCompleted', {
      description: 'Akeneo custom app: starts the example worker on each completed sync run',
      eventBus: this.runEventsBus,
      eventPattern: { source: [RUN_COMPLETED_SOURCE], detailType: [RUN_COMPLETED_DETAIL_TYPE] },
      targets: [new LambdaFunction(worker.function, { retryAttempts: 2 })],
    });
    return worker.function;
  }
}

/** `name-with-sku` → `NameWithSku`: the alarms' ids and descriptions, as the app's own functions' are. */
function alarmName(name: WorkerName): string {
  return name
    .split('-')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');
}
