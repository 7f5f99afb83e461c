import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { Agent, request } from 'undici';
import { DynamoDbStateStore } from '../../functions/adapters/state-store';
import { type Config, loadConfig } from '../../functions/config';
import { DEFAULT_SECRET_PREFIX, secretNameFor } from '../../functions/contract/names';
import { DEFAULT_APP_SCOPES } from '../../functions/core/scopes';
import { newAuthorization } from '../../functions/core/state';
import { bindingCookieName } from '../../functions/http/browser-binding-cookie';
import { ensureTables } from '../../local/tables';
import { type SandboxApp, type SandboxPim, startSandboxPim } from '../../sandbox';
import { type EventBridgeStandIn, startEventBridgeStandIn } from '../../test/support/eventbridge-stand-in';
import { getEvent } from '../../test/support/events';
import { type KmsStandIn, startKmsStandIn } from '../../test/support/kms-stand-in';
import { type S3StandIn, startS3StandIn } from '../../test/support/s3-stand-in';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from '../../test/support/secrets-manager-stand-in';
import { type SqsStandIn, startSqsStandIn } from '../../test/support/sqs-stand-in';
import { localhostCertificate, type TlsCertificate } from '../../test/support/tls-certificate';
import { buildChild, type FunctionBundle, OUT_DIR } from './build';
import { type DelayProxy, startDelayProxy } from './delay-proxy';
import { invokeInChild } from './invoke';

/** Table and resource names the bench gives the stack's `Ref`s. */
export const NAMES = {
  statesTable: 'bench-states',
  connectionsTable: 'bench-connections',
  callSlotsTable: 'bench-call-slots',
  bucket: 'bench-exports',
  runEventsBus: 'bench-run-events',
} as const;

const LOCAL_AWS = { region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
const CALLBACK_URL = 'https://app.example.com/callback';

/**
 * A sandbox PIM with its custom app already registered, over https as the functions require in AWS mode; optionally
 * behind a delaying proxy on the same origin.
 */
export interface BenchPim {
  readonly sandbox: SandboxPim;
  readonly app: SandboxApp;
  /** What the app calls (the proxy when there is one): `https://localhost:PORT`. */
  readonly url: string;
  readonly host: string;
  /** The sandbox itself, for the bench's own set-up calls (never delayed): `https://127.0.0.x:PORT`. */
  readonly directUrl: string;
  readonly proxy?: DelayProxy;
  close(): Promise<void>;
}

/**
 * Every remote dependency of the functions, local: DynamoDB (dynalite), Secrets Manager, KMS, SQS, S3 (s3rver),
 * each behind a delay proxy, so that one call sets the same latency D on all of them, and EventBridge (one call per
 * completed run). The PIMs serve https with a certificate for `localhost` that every function trusts through
 * `NODE_EXTRA_CA_CERTS` (on AWS the functions refuse a plain-http PIM, or one named by an IP address).
 */
export interface World {
  readonly dynamodb: { readonly direct: string; readonly proxy: DelayProxy };
  readonly secrets: { readonly standIn: SecretsManagerStandIn; readonly proxy: DelayProxy };
  readonly kms: { readonly standIn: KmsStandIn; readonly proxy: DelayProxy };
  readonly sqs: { readonly standIn: SqsStandIn; readonly proxy: DelayProxy; readonly queueUrl: string };
  readonly s3: S3StandIn;
  /** Where the worker publishes its run-completed events: one call per run, not delayed. */
  readonly eventBridge: EventBridgeStandIn;
  readonly proxies: readonly DelayProxy[];
  /** A DocumentClient on dynalite directly: the bench's own reads and writes, never delayed nor counted. */
  readonly documents: DynamoDBDocumentClient;
  readonly kmsKeyArn: string;
  /** The PIMs' certificate, and the file `NODE_EXTRA_CA_CERTS` names in every function's environment. */
  readonly tls: TlsCertificate & { readonly caFile: string };
  setDelay(ms: number): void;
  /** The environment a Lambda function gets, with the stack's references resolved to the stand-ins. */
  lambdaEnv(variables: Record<string, unknown>): Record<string, string>;
  /** A sandbox PIM with its app registered and its credentials in Secrets Manager. */
  startPim(options: { readonly productCount?: number; readonly behindProxy?: boolean }): Promise<BenchPim>;
  /** Connects the PIM: one callback through the synth Callback bundle, in a fresh process, as on AWS. */
  connect(pim: BenchPim): Promise<void>;
  /** A fresh state in the table and a fresh code from the PIM: what one callback request needs. */
  prepareCallback(pim: BenchPim, https?: boolean): Promise<CallbackRequest>;
  close(): Promise<void>;
}

export interface CallbackRequest {
  readonly code: string;
  readonly state: string;
  readonly cookie: string;
}

export interface WorldOptions {
  /** The synth Callback: `connect` runs it. */
  readonly callback: FunctionBundle;
}

export async function startWorld(options: WorldOptions): Promise<World> {
  const dynamoServer: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamoServer.listen(0, '127.0.0.1', resolve));
  const dynamoDirect = `http://127.0.0.1:${(dynamoServer.address() as AddressInfo).port}`;
  const [secrets, kms, sqs, s3, eventBridge] = await Promise.all([
    startSecretsManagerStandIn(),
    startKmsStandIn(),
    startSqsStandIn(),
    startS3StandIn(NAMES.bucket),
    startEventBridgeStandIn([NAMES.runEventsBus]),
  ]);
  const [dynamoProxy, secretsProxy, kmsProxy, sqsProxy] = await Promise.all([
    startDelayProxy({ service: 'dynamodb', target: dynamoDirect }),
    startDelayProxy({ service: 'secretsmanager', target: secrets.endpoint }),
    startDelayProxy({ service: 'kms', target: kms.endpoint }),
    startDelayProxy({ service: 'sqs', target: sqs.endpoint }),
  ]);
  const queueUrl = `${sqsProxy.url}/123456789012/akeneo-sync.fifo`;
  const pims: BenchPim[] = [];
  const proxies: DelayProxy[] = [dynamoProxy, secretsProxy, kmsProxy, sqsProxy];
  const certificate = localhostCertificate();
  const tlsDirectory = join(OUT_DIR, 'tls');
  mkdirSync(tlsDirectory, { recursive: true });
  const caFile = join(tlsDirectory, 'sandbox-ca.pem');
  writeFileSync(caFile, certificate.cert);
  // The bench's own calls to a sandbox at 127.0.0.x: the certificate names localhost.
  const trusting = new Agent({ connect: { ca: certificate.cert, servername: 'localhost' } });
  const invokeScript = await buildChild('invoke-child');

  const dynamoClient = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamoDirect });
  const documents = DynamoDBDocumentClient.from(dynamoClient, { marshallOptions: { removeUndefinedValues: true } });
  const config: Config = {
    ...loadConfig({
      APP_MODE: 'aws',
      STATES_TABLE_NAME: NAMES.statesTable,
      CONNECTIONS_TABLE_NAME: NAMES.connectionsTable,
      CALL_SLOTS_TABLE_NAME: NAMES.callSlotsTable,
      TOKEN_KMS_KEY_ID: kms.keyArn,
    }),
  };
  await ensureTables(dynamoClient, config);
  const secretsClient = new SecretsManagerClient({ ...LOCAL_AWS, endpoint: secrets.endpoint });

  const world: World = {
    dynamodb: { direct: dynamoDirect, proxy: dynamoProxy },
    secrets: { standIn: secrets, proxy: secretsProxy },
    kms: { standIn: kms, proxy: kmsProxy },
    sqs: { standIn: sqs, proxy: sqsProxy, queueUrl },
    s3,
    eventBridge,
    proxies,
    documents,
    kmsKeyArn: kms.keyArn,
    tls: { ...certificate, caFile },
    setDelay(ms) {
      for (const proxy of proxies) proxy.setDelay(ms);
    },
    lambdaEnv(variables) {
      const refs: Record<string, string> = {
        STATES_TABLE_NAME: NAMES.statesTable,
        CONNECTIONS_TABLE_NAME: NAMES.connectionsTable,
        CALL_SLOTS_TABLE_NAME: NAMES.callSlotsTable,
        TOKEN_KMS_KEY_ID: kms.keyArn,
        SYNC_QUEUE_URL: queueUrl,
        EXPORT_BUCKET_NAME: NAMES.bucket,
        RUN_EVENTS_BUS_NAME: NAMES.runEventsBus,
      };
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        // s3rver checks signatures, with these credentials; the other stand-ins take any.
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        AWS_LAMBDA_FUNCTION_NAME: 'bench',
        AWS_ENDPOINT_URL_DYNAMODB: dynamoProxy.url,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsProxy.url,
        AWS_ENDPOINT_URL_KMS: kmsProxy.url,
        AWS_ENDPOINT_URL_SQS: sqsProxy.url,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
        // s3rver on localhost needs path-style addressing; on AWS the setting is absent.
        S3_FORCE_PATH_STYLE: 'true',
        // The Lambda runtime is Node 24, where the SDK does not warn; this machine runs Node 20.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        // Local only: the sandbox PIMs' certificate is the bench's own.
        NODE_EXTRA_CA_CERTS: caFile,
      };
      for (const [name, value] of Object.entries(variables)) {
        // The bench has no HTTP API for the Event Platform to deliver to: unset, the app subscribes no PIM.
        if (name === 'APP_PUBLIC_URL' && typeof value !== 'string') continue;
        env[name] = typeof value === 'string' ? value : refs[name];
      }
      for (const [name, value] of Object.entries(env)) {
        if (value === undefined) throw new Error(`No bench value for the stack reference ${name}`);
      }
      return env;
    },
    async startPim({ productCount, behindProxy = false }) {
      let proxy: DelayProxy | undefined;
      let hostname = '127.0.0.1';
      let port = 0;
      if (behindProxy) {
        // The proxy takes 127.0.0.1:P and the sandbox 127.0.0.2:P, announcing https://localhost:P (127.0.0.1:P) as
        // its URL: the id_token's issuer is then the URL the app calls, as with a real PIM.
        port = await freePort();
        hostname = '127.0.0.2';
        proxy = await startDelayProxy({
          service: 'pim',
          target: `https://127.0.0.2:${port}`,
          port,
          tls: certificate,
        });
        proxies.push(proxy);
      }
      const sandbox = await startSandboxPim({
        hostname,
        port,
        publicHost: 'localhost',
        tls: certificate,
        ...(productCount !== undefined ? { productCount } : {}),
        apps: [{ name: 'Bench app', activateUrl: 'https://app.example.com/activate', callbackUrl: CALLBACK_URL }],
      });
      const app = sandbox.findAppByName('Bench app');
      if (!app) throw new Error('The sandbox did not register the bench app');
      const url = sandbox.url;
      const host = new URL(url).host;
      const directUrl = `https://${hostname}:${new URL(url).port}`;
      await secretsClient.send(
        new CreateSecretCommand({
          Name: secretNameFor(DEFAULT_SECRET_PREFIX, host),
          SecretString: JSON.stringify({ clientId: app.clientId, clientSecret: app.clientSecret }),
        }),
      );
      const pim: BenchPim = {
        sandbox,
        app,
        url,
        host,
        directUrl,
        proxy,
        async close() {
          pims.splice(pims.indexOf(pim), 1);
          await sandbox.close();
          if (proxy) {
            await proxy.close();
            proxies.splice(proxies.indexOf(proxy), 1);
          }
        },
      };
      pims.push(pim);
      return pim;
    },
    async connect(pim) {
      const request = await world.prepareCallback(pim);
      const event = getEvent(
        '/callback',
        new URLSearchParams({ code: request.code, state: request.state }).toString(),
        [request.cookie],
      );
      const report = await invokeInChild(
        invokeScript,
        world.lambdaEnv(options.callback.environment),
        options.callback.bundlePath,
        event,
      );
      const statusCode = (report.result as { statusCode?: number } | undefined)?.statusCode;
      if (!report.ok || statusCode !== 200) {
        throw new Error(`The Callback did not connect ${pim.host}: ${report.detail || JSON.stringify(report.result)}`);
      }
    },
    async prepareCallback(pim, https = true) {
      const authorization = newAuthorization({
        pimUrl: pim.url,
        pimHost: pim.host,
        requestedScopes: DEFAULT_APP_SCOPES,
        now: Math.floor(Date.now() / 1000),
        randomBytes: (size) => randomBytes(size),
      });
      await new DynamoDbStateStore({ client: documents, tableName: NAMES.statesTable }).save(authorization.record);
      const code = await authorizationCode(pim, DEFAULT_APP_SCOPES.join(' '), authorization.state, trusting);
      return {
        code,
        state: authorization.state,
        cookie: `${bindingCookieName(https)}=${authorization.browserBinding}`,
      };
    },
    async close() {
      for (const pim of [...pims]) await pim.close();
      await Promise.all(proxies.map((proxy) => proxy.close()));

      secretsClient.destroy();
      dynamoClient.destroy();
      await trusting.close();
      await Promise.all([secrets.close(), kms.close(), sqs.close(), s3.close(), eventBridge.close()]);
      await new Promise<void>((resolve) => {
        dynamoServer.closeAllConnections();
        dynamoServer.close(() => resolve());
      });
    },
  };
  return world;
}

/** The PIM's authorize step as the user's browser goes through it, consent included: returns the issued code. */
async function authorizationCode(pim: BenchPim, scope: string, state: string, dispatcher: Agent): Promise<string> {
  const query = new URLSearchParams({ response_type: 'code', client_id: pim.app.clientId, scope, state });
  let answer = await request(`${pim.directUrl}/connect/apps/v1/authorize?${query}`, { dispatcher });
  let body = await answer.body.text();
  if (answer.statusCode === 200) {
    const fields = Object.fromEntries(
      [...body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((match) => [match[1], decode(match[2])]),
    );
    answer = await request(`${pim.directUrl}/connect/apps/v1/authorize/confirm`, {
      dispatcher,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    body = await answer.body.text();
  }
  const location = answer.headers.location;
  const code = typeof location === 'string' ? new URL(location).searchParams.get('code') : null;
  if (!code) throw new Error(`The sandbox issued no code (${answer.statusCode}): ${body.slice(0, 200)}`);
  return code;
}

function decode(html: string): string {
  return html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  for (;;) {
    const server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
    );
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // The same port must also be free on 127.0.0.2, where the sandbox goes.
    const other = createServer();
    const free = await new Promise<boolean>((resolve) => {
      other.once('error', () => resolve(false));
      other.listen(port, '127.0.0.2', () => resolve(true));
    });
    if (free) {
      await new Promise<void>((resolve) => other.close(() => resolve()));
      return port;
    }
  }
}
