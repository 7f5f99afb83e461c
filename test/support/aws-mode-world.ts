import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { Agent, request } from 'undici';
import { secretNameFor } from '../../functions/contract/names';
import { type SandboxApp, type SandboxPim, startSandboxPim } from '../../sandbox';
import { dynamoDbEndpoint } from './dynamodb';
import { type EventBridgeStandIn, startEventBridgeStandIn } from './eventbridge-stand-in';
import { type RecordingProxy, startRecordingProxy } from './iam-audit/recording-proxy';
import { ACCOUNT, type CfnTemplate, REGION, StandInNames } from './iam-audit/stand-in-names';
import { type AwsService, type RecordedCall, recordedCall } from './iam-audit/wire-calls';
import { type KmsStandIn, startKmsStandIn } from './kms-stand-in';
import { LambdaProcess } from './lambda-process';
import { type S3StandIn, startS3StandIn } from './s3-stand-in';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from './secrets-manager-stand-in';
import { type QueuedMessage, type SqsStandIn, startSqsStandIn } from './sqs-stand-in';
import { localhostCertificate } from './tls-certificate';

/** A Lambda function of the stack, run in AWS mode. */
export interface WorldFunction {
  /** As its AWS clients name it in their user agent: `callback`. */
  readonly name: string;
  readonly functionLogicalId: string;
  /** Its handler's source, relative to the project: `functions/callback.ts`. */
  readonly handler: string;
}

export interface AwsModeWorldOptions {
  readonly template: CfnTemplate;
  readonly functions: readonly WorldFunction[];
  /** Of the sandbox PIM. */
  readonly productCount: number;
}

/** The app's Callback URL as the sandbox's custom app is registered with it (the functions never serve it). */
const CALLBACK_URL = 'https://app.example.com/callback';
/** s3rver checks signatures with these; the other stand-ins and DynamoDB Local take any. */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const LOCAL_AWS = { region: REGION, credentials: CREDENTIALS };

/**
 * The stack's functions in AWS mode (`APP_MODE=aws` from the template), each in its own process with the environment
 * the template gives it, the references resolved to stand-in names, its SDK clients pointed at local stand-ins by
 * `AWS_ENDPOINT_URL_<SERVICE>`: DynamoDB Local, Secrets Manager, KMS, SQS, S3 (s3rver) and EventBridge (with the
 * template's buses), each behind a recording proxy that keeps every request as CloudTrail would. The PIM is the sandbox over https (`https://localhost:P`, its
 * certificate trusted through `NODE_EXTRA_CA_CERTS`), its custom app registered in Secrets Manager. The world's own
 * set-up and checks go to the stand-ins directly, so every recorded request is a function's.
 */
export class AwsModeWorld {
  readonly #processes = new Map<string, LambdaProcess>();
  readonly #closers: Array<() => Promise<void> | void> = [];

  private constructor(
    /** Every request the functions sent, in order, as the recording proxies read it. */
    readonly calls: readonly RecordedCall[],
    readonly names: StandInNames,
    readonly pim: SandboxPim,
    readonly app: SandboxApp,
    readonly secrets: SecretsManagerStandIn,
    readonly kms: KmsStandIn,
    readonly sqs: SqsStandIn,
    readonly s3: S3StandIn,
    readonly eventBridge: EventBridgeStandIn,
    /** DynamoDB Local directly: never recorded. */
    readonly documents: DynamoDBDocumentClient,
    private readonly options: AwsModeWorldOptions,
    private readonly runtimeEnv: Readonly<Record<string, string>>,
    private readonly trusting: Agent,
  ) {}

  static async start(options: AwsModeWorldOptions): Promise<AwsModeWorld> {
    const closers: Array<() => Promise<void> | void> = [];
    const calls: RecordedCall[] = [];
    const proxy = async (service: AwsService, target: string): Promise<RecordingProxy> => {
      const started = await startRecordingProxy({
        target,
        onRequest: (wire) => calls.push(recordedCall(service, wire)),
      });
      closers.push(() => started.close());
      return started;
    };
    try {
      const sqs = await startSqsStandIn();
      closers.push(() => sqs.close());
      const sqsProxy = await proxy('sqs', sqs.endpoint);
      const names = new StandInNames(options.template, {
        tableSuffix: randomUUID().slice(0, 8),
        sqsEndpoint: sqsProxy.url,
      });
      const resources = Object.entries(options.template.Resources);
      const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type).map(([id]) => id);

      const secrets = await startSecretsManagerStandIn();
      closers.push(() => secrets.close());
      const kms = await startKmsStandIn({ keyArn: tokenKeyArn(options, names) });
      closers.push(() => kms.close());
      const [firstBucket, ...otherBuckets] = ofType('AWS::S3::Bucket').map((id) => names.attribute(id));
      const s3 = await startS3StandIn(firstBucket);
      closers.push(() => s3.close());
      for (const bucket of otherBuckets) await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
      const eventBridge = await startEventBridgeStandIn(
        ofType('AWS::Events::EventBus').map((id) => names.attribute(id)),
      );
      closers.push(() => eventBridge.close());

      const dynamoDb = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamoDbEndpoint() });
      closers.push(() => dynamoDb.destroy());
      for (const id of ofType('AWS::DynamoDB::Table')) await createTable(dynamoDb, names, options.template, id);
      const documents = DynamoDBDocumentClient.from(dynamoDb, { marshallOptions: { removeUndefinedValues: true } });

      const certificate = localhostCertificate();
      const directory = mkdtempSync(join(tmpdir(), 'aws-mode-world-'));
      closers.push(() => rmSync(directory, { recursive: true, force: true }));
      const caFile = join(directory, 'sandbox-ca.pem');
      writeFileSync(caFile, certificate.cert);
      const trusting = new Agent({ connect: { ca: certificate.cert } });
      closers.push(() => trusting.close());
      const pim = await startSandboxPim({
        tls: certificate,
        productCount: options.productCount,
        apps: [{ name: 'Audit app', activateUrl: 'https://app.example.com/activate', callbackUrl: CALLBACK_URL }],
      });
      closers.push(() => pim.close());
      const app = pim.findAppByName('Audit app');
      if (!app) throw new Error('The sandbox did not register the app');

      const endpoints = {
        AWS_ENDPOINT_URL_DYNAMODB: (await proxy('dynamodb', dynamoDbEndpoint())).url,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: (await proxy('secretsmanager', secrets.endpoint)).url,
        AWS_ENDPOINT_URL_KMS: (await proxy('kms', kms.endpoint)).url,
        AWS_ENDPOINT_URL_S3: (await proxy('s3', s3.endpoint)).url,
        AWS_ENDPOINT_URL_EVENTBRIDGE: (await proxy('events', eventBridge.endpoint)).url,
        // SQS's client sends to the queue URL's own host: the queue URLs already name the proxy.
        AWS_ENDPOINT_URL_SQS: sqsProxy.url,
      };
      const runtimeEnv = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        AWS_REGION: REGION,
        AWS_DEFAULT_REGION: REGION,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
        // The Lambda runtime is Node 24, where the SDK does not warn; this machine runs Node 20.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...endpoints,
        // Local only: s3rver on 127.0.0.1 needs path-style addressing; the PIM's certificate is the test's own.
        S3_FORCE_PATH_STYLE: 'true',
        NODE_EXTRA_CA_CERTS: caFile,
        // The sandbox plays the Event Platform under its own URL; Akeneo's is out of reach of a test.
        EVENT_PLATFORM_URL: `${pim.url}/event-platform/api/v1`,
      };
      const world = new AwsModeWorld(
        calls,
        names,
        pim,
        app,
        secrets,
        kms,
        sqs,
        s3,
        eventBridge,
        documents,
        options,
        runtimeEnv,
        trusting,
      );
      world.#closers.push(...closers);
      await world.registerPimCredentials();
      return world;
    } catch (error) {
      for (const close of closers.reverse()) await close();
      throw error;
    }
  }

  /** The environment the function runs with: its variables from the template, resolved, and the stand-ins'. */
  envOf(functionName: string): Record<string, string> {
    const fn = this.#function(functionName);
    const resource = this.options.template.Resources[fn.functionLogicalId];
    const variables = ((resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables ?? {}) as Record<string, unknown>;
    const own = Object.fromEntries(
      Object.entries(variables).map(([name, value]) => [name, this.names.resolveString(value)]),
    );
    return {
      ...this.runtimeEnv,
      AWS_LAMBDA_FUNCTION_NAME: this.names.attribute(fn.functionLogicalId),
      ...own,
    };
  }

  /** One event through the function's handler, in its process (started at the first event: a cold start). */
  invoke<T>(functionName: string, event: unknown, remainingMs?: number): Promise<T> {
    let lambda = this.#processes.get(functionName);
    if (!lambda) {
      lambda = new LambdaProcess(this.#function(functionName).handler, this.envOf(functionName));
      this.#processes.set(functionName, lambda);
    }
    return lambda.invoke<T>(event, remainingMs);
  }

  logsOf(functionName: string): readonly string[] {
    return this.#processes.get(functionName)?.logs ?? [];
  }

  /** The keys of the objects under `prefix` in the template's bucket. */
  async objectKeys(bucketLogicalId: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.client.send(
        new ListObjectsV2Command({
          Bucket: this.names.attribute(bucketLogicalId),
          Prefix: prefix,
          ContinuationToken: token,
        }),
      );
      keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);
    return keys.sort();
  }

  /** The admin's browser at the PIM's authorize URL, through the consent screen: the callback's code and state. */
  async consent(authorizeUrl: string): Promise<{ code: string; state: string }> {
    let answer = await request(authorizeUrl, { dispatcher: this.trusting });
    let body = await answer.body.text();
    if (answer.statusCode === 200) {
      const fields = Object.fromEntries(
        [...body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], decodeHtml(m[2])]),
      );
      answer = await request(new URL('/connect/apps/v1/authorize/confirm', authorizeUrl), {
        method: 'POST',
        dispatcher: this.trusting,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
      body = await answer.body.text();
    }
    const location = answer.headers.location;
    const callback = typeof location === 'string' ? new URL(location) : undefined;
    const code = callback?.searchParams.get('code');
    const state = callback?.searchParams.get('state');
    if (!code || !state) throw new Error(`The sandbox issued no code (${answer.statusCode}): ${body.slice(0, 200)}`);
    return { code, state };
  }

  /** *Regenerate* in the PIM, then the new secret stored as ops' `rotate` would (straight into Secrets Manager). */
  async regenerateAndRotate(): Promise<void> {
    const clientSecret = this.pim.regenerateSecret(this.app.clientId);
    await this.#secretsClient((client) =>
      client.send(
        new PutSecretValueCommand({
          SecretId: this.#secretName(),
          SecretString: JSON.stringify({ clientId: this.app.clientId, clientSecret }),
        }),
      ),
    );
  }

  /** The queued message as SQS delivers it to the function: a FIFO record of the queue the template names. */
  sqsEventOf(message: QueuedMessage, queueLogicalId: string): SQSEvent {
    const now = String(Date.now());
    return {
      Records: [
        {
          messageId: message.messageId,
          receiptHandle: `receipt-${message.messageId}`,
          body: message.body,
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: now,
            SenderId: ACCOUNT,
            ApproximateFirstReceiveTimestamp: now,
            MessageGroupId: message.groupId,
            MessageDeduplicationId: message.deduplicationId,
            SequenceNumber: message.sequenceNumber,
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: this.names.attribute(queueLogicalId, 'Arn'),
          awsRegion: REGION,
        },
      ],
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#processes.values()].map((lambda) => lambda.close()));
    for (const close of this.#closers.reverse()) await close();
  }

  private async registerPimCredentials(): Promise<void> {
    await this.#secretsClient((client) =>
      client.send(
        new CreateSecretCommand({
          Name: this.#secretName(),
          SecretString: JSON.stringify({ clientId: this.app.clientId, clientSecret: this.app.clientSecret }),
        }),
      ),
    );
  }

  #secretName(): string {
    const prefixes = new Set(
      this.options.functions.map((fn) => this.envOf(fn.name).CREDENTIALS_SECRET_PREFIX).filter(Boolean),
    );
    if (prefixes.size !== 1) throw new Error(`Expected one CREDENTIALS_SECRET_PREFIX, got ${[...prefixes]}`);
    return secretNameFor([...prefixes][0], new URL(this.pim.url).host);
  }

  async #secretsClient<T>(use: (client: SecretsManagerClient) => Promise<T>): Promise<T> {
    const client = new SecretsManagerClient({ ...LOCAL_AWS, endpoint: this.secrets.endpoint });
    try {
      return await use(client);
    } finally {
      client.destroy();
    }
  }

  #function(name: string): WorldFunction {
    const fn = this.options.functions.find((candidate) => candidate.name === name);
    if (!fn) throw new Error(`No function ${name} in the world`);
    return fn;
  }
}

/** The one KMS key the functions' environments name: the KMS stand-in holds it. */
function tokenKeyArn(options: AwsModeWorldOptions, names: StandInNames): string {
  const keyArns = Object.entries(options.template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::KMS::Key')
    .map(([id]) => names.attribute(id, 'Arn'));
  const named = new Set(
    options.functions.flatMap((fn) => {
      const variables = (
        options.template.Resources[fn.functionLogicalId].Properties?.Environment as {
          Variables?: Record<string, unknown>;
        }
      )?.Variables;
      return Object.values(variables ?? {})
        .map((value) => names.resolve(value))
        .filter((value): value is string => typeof value === 'string' && keyArns.includes(value));
    }),
  );
  if (named.size !== 1) throw new Error(`The KMS stand-in holds one key; the functions name ${named.size}`);
  return [...named][0];
}

/** The table as the template declares it (keys, attributes, global indexes), on demand, in DynamoDB Local. */
async function createTable(client: DynamoDBClient, names: StandInNames, template: CfnTemplate, id: string) {
  const properties = template.Resources[id].Properties ?? {};
  const indexes = (properties.GlobalSecondaryIndexes ?? []) as GlobalSecondaryIndex[];
  const tableName = names.attribute(id);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: properties.KeySchema as KeySchemaElement[],
      AttributeDefinitions: properties.AttributeDefinitions as AttributeDefinition[],
      ...(indexes.length > 0
        ? {
            GlobalSecondaryIndexes: indexes.map(({ IndexName, KeySchema, Projection }) => ({
              IndexName,
              KeySchema,
              Projection,
            })),
          }
        : {}),
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
}

function decodeHtml(html: string): string {
  return html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
