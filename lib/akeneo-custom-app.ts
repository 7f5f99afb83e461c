import { Duration, Validations } from 'aws-cdk-lib';
import type { Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import type { ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { SharedSettings } from '../functions/contract/function-environment';
import { scopeString } from '../functions/core/scopes';
import { type AkeneoCustomAppProps, resolveProps } from './akeneo-custom-app-props';
import { AppAlarms } from './constructs/app-alarms';
import { AppDashboard } from './constructs/app-dashboard';
import { AppFunction } from './constructs/app-function';
import { credentialsWildcardFinding, grantReadCredentials } from './constructs/credentials-access';
import { DataTables, grantOnItems } from './constructs/data-tables';
import { HttpEndpoint } from './constructs/http-endpoint';
import { OpsPolicy } from './constructs/ops-policy';
import { SyncJobs } from './constructs/sync-jobs';
import { TokenKey } from './constructs/token-key';

export type { AkeneoCustomAppProps, CustomDomain, LogLevel } from './akeneo-custom-app-props';

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
  /** Ops' dashboard: connect funnel, sync throughput, errors and lag, queue depth and age, functions. */
  readonly dashboard: Dashboard;
  readonly dashboardUrl: string;

  constructor(scope: Construct, id: string, props: AkeneoCustomAppProps = {}) {
    super(scope, id);
    const settings = resolveProps(props);
    this.secretNamePrefix = settings.secretNamePrefix;

    const tables = new DataTables(this, 'Data', { removalPolicy: settings.dataRemovalPolicy });
    this.statesTable = tables.states;
    this.connectionsTable = tables.connections;
    this.callSlotsTable = tables.callSlots;
    const tokenKey = new TokenKey(this, 'TokenKey', { removalPolicy: settings.dataRemovalPolicy });
    this.tokenKey = tokenKey.key;

    const shared: SharedSettings = { mode: 'aws', serviceName: settings.serviceName, logLevel: settings.logLevel };
    const connectionFlow = {
      scopes: scopeString(settings.scopes),
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
    // request.
    const callback = new AppFunction(this, 'Callback', {
      name: 'callback',
      description: 'Akeneo custom app: GET /callback, completes the PIM connection',
      memorySize: 512,
      timeout: Duration.seconds(15),
      settings: {
        ...shared,
        ...connectionFlow,
        connectionsTableName: this.connectionsTable.tableName,
        tokenKmsKeyId: this.tokenKey.keyArn,
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

    for (const fn of [activate, callback]) {
      Validations.of(fn.role).acknowledge({
        id: credentialsWildcardFinding(settings.secretNamePrefix),
        reason:
          'Reads the credentials of the PIM being connected; ops register one secret per PIM after deploy, so ' +
          'only the prefix is known here (GetSecretValue only; * also matches the random ARN suffix).',
      });
    }

    this.endpoint = new HttpEndpoint(this, 'Http', {
      landing: this.landingFunction,
      activate: this.activateFunction,
      callback: this.callbackFunction,
      logRetention: settings.logRetention,
      customDomain: settings.customDomain,
    });
    this.activateUrl = `${this.endpoint.baseUrl}activate`;
    this.callbackUrl = `${this.endpoint.baseUrl}callback`;

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
      shared,
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

    this.alarmTopic = new AppAlarms(this, 'Alarms', {
      api: this.endpoint.api,
      functions: {
        Landing: this.landingFunction,
        Activate: this.activateFunction,
        Callback: this.callbackFunction,
        SyncDispatch: this.syncDispatchFunction,
        SyncWorker: this.syncWorkerFunction,
      },
      deadLetterQueues: { SyncDeadLetterQueue: this.syncDeadLetterQueue },
      serviceName: settings.serviceName,
    }).topic;
    const dashboard = new AppDashboard(this, 'Dashboard', {
      serviceName: settings.serviceName,
      functions: {
        Landing: this.landingFunction,
        Activate: this.activateFunction,
        Callback: this.callbackFunction,
        SyncDispatch: this.syncDispatchFunction,
        SyncWorker: this.syncWorkerFunction,
      },
      syncQueue: this.syncQueue,
      syncDeadLetterQueue: this.syncDeadLetterQueue,
    });
    this.dashboard = dashboard.dashboard;
    this.dashboardUrl = dashboard.url;
  }
}
