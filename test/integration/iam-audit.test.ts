import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { APIGatewayProxyStructuredResultV2, SQSBatchResponse } from 'aws-lambda';
import { eventPlatformSecretNameFor, pimHostKey } from '../../functions/contract/names';
import { runCompletedDetail, runCompletedEvent } from '../../functions/contract/run-completed-event';
import { CALL_SLOTS } from '../../functions/core/call-slot-lease';
import type { Connection } from '../../functions/core/connection';
import type { PimWorkOutcome } from '../../functions/pim-access';
import type { DispatchSummary } from '../../functions/use-cases/dispatch-syncs';
import type { NamingReport } from '../../functions/use-cases/name-products-with-sku';
import { WORKER_RESERVE_MS } from '../../functions/wiring/sync-worker';
import type { AkeneoCustomApp } from '../../lib/akeneo-custom-app';
import { buildStack, logicalIdOf } from '../infra/helpers/build-stack';
import { AwsModeWorld } from '../support/aws-mode-world';
import { productEvent, sign, notification as subscriptionNotification } from '../support/event-deliveries';
import { getEvent, postEvent } from '../support/events';
import { type AuditedFunction, type AuditReport, auditStack, withoutGrant } from '../support/iam-audit/audit';
import type { CfnTemplate } from '../support/iam-audit/stand-in-names';

/**
 * Issue 13, item 6: every AWS call the functions make is allowed by the stack's own IAM policy. Each function runs
 * in AWS mode with the environment the synthesized template gives it (test/support/aws-mode-world.ts); every
 * request it sends is recorded on the wire and checked against its role's statements, the token key's policy and
 * the queue and bucket policies of that same template, conditions included. A call IAM would refuse, a call no
 * function claims, and a grant no call uses all fail the suite.
 */

type HttpResult = APIGatewayProxyStructuredResultV2 & { headers: Record<string, string>; body: string };

interface DrivenPath {
  readonly title: string;
  readonly run: () => Promise<void>;
}

interface FunctionRow {
  /** As its AWS clients name it in their user agent (`akeneo-custom-app/<name>`). */
  readonly name: string;
  /** How to find it, and so its role, in the stack. */
  readonly of: (app: AkeneoCustomApp) => NodejsFunction;
  readonly handler: string;
  /** Every path that makes a distinct AWS call, run in this order, after the rows above. */
  readonly paths: readonly DrivenPath[];
}

const PRODUCTS = 150; // two pages of 100: a run can stop after the first and continue

let world: AwsModeWorld;
let pimHost: string;

const http = (name: string, path: string, query = '', cookies: string[] = []) =>
  world.invoke<HttpResult>(name, getEvent(path, query, cookies));

/** Activate for the sandbox PIM: the authorize URL it redirects to and the browser-binding cookie it sets. */
async function startConnecting(): Promise<{ authorizeUrl: string; cookie: string }> {
  const answer = await http('activate', '/activate', `pim_url=${encodeURIComponent(world.pim.url)}`);
  expect(answer.statusCode).toBe(302);
  const cookie = answer.cookies?.[0]?.split(';')[0];
  if (!cookie) throw new Error('Activate set no browser-binding cookie');
  return { authorizeUrl: answer.headers.location, cookie };
}

async function connection(): Promise<Connection | undefined> {
  const { Item } = await world.documents.send(
    new GetCommand({ TableName: connectionsTable, Key: { pimHost }, ConsistentRead: true }),
  );
  return Item as Connection | undefined;
}

let lastCallback: { code: string; state: string; cookie: string };
const callback = ({ code, state, cookie }: typeof lastCallback) =>
  http('callback', '/callback', new URLSearchParams({ code, state }).toString(), [cookie]);
/** The last queued message of that kind, delivered to the worker with `remainingMs` left. */
const worker = (kind: 'scheduled' | 'continuation' | 'reconcile', remainingMs: number) => {
  const message = [...world.sqs.messages].reverse().find((queued) => JSON.parse(queued.body).kind === kind);
  if (!message) throw new Error(`No ${kind} message was queued`);
  return world.invoke<SQSBatchResponse>('sync-worker', world.sqsEventOf(message, syncQueue), remainingMs);
};

/** The PIM's signing secrets: those the callback's Event Platform step made, else these. */
let SIGNING = { events: { primary: 'e'.repeat(32) }, notifications: 'n'.repeat(32) };
const SUBSCRIPTION_ID = 'subscription-1';

/** A delivery to one of the webhooks, signed as the Event Platform signs it. */
const deliver = (name: string, route: string, body: string, secret: string) =>
  world.invoke<HttpResult>(
    name,
    postEvent(route, pimHostKey(pimHost), body, {
      'x-akeneo-signature-primary': sign(body, secret),
      'x-akeneo-signature-algorithm': 'HmacSHA256',
    }),
  );

/** The last events message, delivered to the event worker. */
const eventWorker = () => {
  const message = [...world.sqs.messages].reverse().find((queued) => JSON.parse(queued.body).productUuid);
  if (!message) throw new Error('No product event was queued');
  return world.invoke<SQSBatchResponse>('event-worker', world.sqsEventOf(message, eventsQueue), 60_000);
};

/** Reconnects the PIM (the sync worker's last path revoked it) and subscribes it, as a connect with the Event Platform would. */
async function connectAndSubscribe(): Promise<void> {
  const attempt = await startConnecting();
  const page = await callback({ ...(await world.consent(attempt.authorizeUrl)), cookie: attempt.cookie });
  expect(page.statusCode).toBe(200);
  const prefix = world.envOf('events-webhook').CREDENTIALS_SECRET_PREFIX;
  const client = new SecretsManagerClient({
    region: 'eu-west-1',
    endpoint: world.secrets.endpoint,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  try {
    await client.send(
      new CreateSecretCommand({
        Name: eventPlatformSecretNameFor(prefix, pimHost),
        SecretString: JSON.stringify(SIGNING),
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ResourceExistsException') throw error;
    // The callback's Event Platform step made them already: sign with those.
    const stored = await client.send(
      new GetSecretValueCommand({ SecretId: eventPlatformSecretNameFor(prefix, pimHost) }),
    );
    SIGNING = JSON.parse(stored.SecretString as string) as typeof SIGNING;
  } finally {
    client.destroy();
  }
  await world.documents.send(
    new UpdateCommand({
      TableName: connectionsTable,
      Key: { pimHost },
      UpdateExpression: 'SET eventPlatform = :eventPlatform',
      ExpressionAttributeValues: {
        ':eventPlatform': { state: 'active', subscriptionId: SUBSCRIPTION_ID, changedAt: new Date().toISOString() },
      },
    }),
  );
}

const FUNCTIONS: readonly FunctionRow[] = [
  {
    name: 'landing',
    of: (app) => app.landingFunction,
    handler: 'functions/landing.ts',
    paths: [
      {
        title: 'GET / answers the landing page',
        run: async () => expect((await http('landing', '/')).statusCode).toBe(200),
      },
    ],
  },
  {
    name: 'activate',
    of: (app) => app.activateFunction,
    handler: 'functions/activate.ts',
    paths: [
      {
        title: 'GET /activate of a registered PIM redirects to its consent screen',
        run: async () => {
          expect((await startConnecting()).authorizeUrl).toMatch(`${world.pim.url}/connect/apps/v1/authorize?`);
        },
      },
    ],
  },
  {
    name: 'callback',
    of: (app) => app.callbackFunction,
    handler: 'functions/callback.ts',
    paths: [
      {
        title: 'GET /callback connects the PIM: state consumed, code exchanged, token encrypted and saved',
        run: async () => {
          const attempt = await startConnecting();
          lastCallback = { ...(await world.consent(attempt.authorizeUrl)), cookie: attempt.cookie };
          const page = await callback(lastCallback);
          expect(page.statusCode).toBe(200);
          expect(page.body).toContain(`Connected to ${pimHost}`);
          // The Event Platform step made the PIM's secrets (CreateSecret), then met the unticked permission.
          expect(await connection()).toMatchObject({ status: 'active', eventPlatform: { state: 'unavailable' } });
        },
      },
      {
        title: 'a replayed callback finds the state consumed and the connection made, and changes nothing',
        run: async () => {
          const page = await callback(lastCallback);
          expect(page.statusCode).toBe(200);
          expect(page.body).toContain('Already connected');
        },
      },
      {
        title: "after Regenerate and rotate, the PIM's invalid_client makes the callback read the secret afresh",
        run: async () => {
          const attempt = await startConnecting();
          const code = await world.consent(attempt.authorizeUrl);
          await world.regenerateAndRotate();
          const tokenRequests = world.pim.tokenRequests.length;
          const page = await callback({ ...code, cookie: attempt.cookie });
          expect(page.statusCode).toBe(200);
          expect(world.pim.tokenRequests.slice(tokenRequests).map((r) => r.error ?? r.status)).toEqual([
            'invalid_client',
            200,
          ]);
          expect(world.logsOf('callback').filter((line) => line.includes('freshly read'))).toHaveLength(1);
        },
      },
    ],
  },
  {
    name: 'sync-dispatch',
    of: (app) => app.syncDispatchFunction,
    handler: 'functions/sync-dispatch.ts',
    paths: [
      {
        title: 'the scheduled dispatch queues one message for the connected PIM',
        run: async () => {
          const summary = await world.invoke<DispatchSummary>('sync-dispatch', { time: new Date().toISOString() });
          expect(summary).toMatchObject({ connections: 1 });
          expect(world.sqs.messages.map((message) => message.groupId)).toEqual([pimHost]);
        },
      },
    ],
  },
  {
    name: 'sync-worker',
    of: (app) => app.syncWorkerFunction,
    handler: 'functions/sync-worker.ts',
    paths: [
      {
        title: 'a run short of time reads one page, saves a checkpoint and queues its continuation',
        run: async () => {
          expect(await worker('scheduled', WORKER_RESERVE_MS - 1_000)).toEqual({ batchItemFailures: [] });
          expect((await connection())?.syncCheckpoint).toBeDefined();
          expect(world.sqs.messages.filter((message) => message.body.includes('"continuation"'))).toHaveLength(1);
        },
      },
      {
        title: 'the continuation completes the run: parts and manifest in S3, the cursor moved, its event on the bus',
        run: async () => {
          expect(world.eventBridge.events).toEqual([]);
          expect(await worker('continuation', 5 * 60_000)).toEqual({ batchItemFailures: [] });
          const saved = await connection();
          expect(saved).toMatchObject({ lastSyncProductCount: PRODUCTS });
          expect(saved?.syncCheckpoint).toBeUndefined();
          const run = `${pimHost.replace(':', '_')}/products/${saved?.lastSyncRunId}/`;
          expect(await world.objectKeys(exportBucket, run)).toEqual(
            ['manifest.json', 'part-00001.ndjson', 'part-00002.ndjson'].map((name) => `${run}${name}`),
          );
          expect(world.eventBridge.events).toEqual([
            expect.objectContaining({
              busName: world.names.attribute(runEventsBus),
              source: 'akeneo-custom-app',
              detailType: 'Sync Run Completed',
              detail: expect.objectContaining({
                runId: saved?.lastSyncRunId,
                counts: expect.objectContaining({ products: PRODUCTS }),
              }),
            }),
          ]);
        },
      },
      {
        title: 'the first reconciliation pass, dispatched once the first sync completed, writes its snapshot to S3',
        run: async () => {
          const summary = await world.invoke<DispatchSummary>('sync-dispatch', { time: new Date().toISOString() });
          expect(summary).toMatchObject({ reconcileDue: 1 });
          expect(await worker('reconcile', 5 * 60_000)).toEqual({ batchItemFailures: [] });
          const pass = (await connection())?.lastReconciliation;
          expect(pass).toMatchObject({ uuidCount: PRODUCTS, parts: 1 });
          const snapshot = `${pimHost.replace(':', '_')}/reconciliation/${pass?.runId}/`;
          expect(await world.objectKeys(exportBucket, snapshot)).toEqual([`${snapshot}uuids-00001.txt`]);
          expect(world.eventBridge.events.at(-1)).toMatchObject({
            detailType: 'Reconciliation Completed',
            detail: expect.objectContaining({ runId: pass?.runId, counts: { listed: PRODUCTS, deleted: 0, parts: 0 } }),
          });
        },
      },
      {
        title: 'the next pass reads that snapshot back from S3 and writes the two deleted products as a part',
        run: async () => {
          const previous = (await connection())?.lastReconciliation?.runId;
          world.pim.deleteProducts(2);
          // The period has passed: the dispatch finds the PIM due again.
          await world.documents.send(
            new UpdateCommand({
              TableName: connectionsTable,
              Key: { pimHost },
              UpdateExpression: 'SET reconcileDueAt = :past',
              ExpressionAttributeValues: { ':past': new Date(Date.now() - 1_000).toISOString() },
            }),
          );
          await world.invoke<DispatchSummary>('sync-dispatch', { time: new Date().toISOString() });
          expect(await worker('reconcile', 5 * 60_000)).toEqual({ batchItemFailures: [] });
          const pass = (await connection())?.lastReconciliation;
          expect(pass?.runId).not.toBe(previous);
          const run = `${pimHost.replace(':', '_')}/products/${pass?.runId}/`;
          expect(await world.objectKeys(exportBucket, run)).toEqual([
            `${run}deleted-00001.ndjson`,
            `${run}manifest.json`,
          ]);
          expect(world.eventBridge.events.at(-1)).toMatchObject({
            detail: expect.objectContaining({
              previousRunId: previous,
              counts: { listed: PRODUCTS - 2, deleted: 2, parts: 1 },
            }),
          });
        },
      },
      {
        title: 'with every call slot of the PIM leased by another instance, it waits for a lease to end, then syncs',
        run: async () => {
          await leaseEveryCallSlot();
          const previousRun = (await connection())?.lastSyncRunId;

          expect(await worker('scheduled', 5 * 60_000)).toEqual({ batchItemFailures: [] });
          expect((await connection())?.lastSyncRunId).not.toBe(previousRun);
          const { Items = [] } = await world.documents.send(
            new QueryCommand({
              TableName: callSlotsTable,
              KeyConditionExpression: 'pimHost = :pimHost',
              ExpressionAttributeValues: { ':pimHost': pimHost },
              ConsistentRead: true,
            }),
          );
          // It took one ended lease over and freed it; the other three ended leases wait for the time to live.
          expect(Items).toHaveLength(CALL_SLOTS.length - 1);
          expect(Items.every((item) => item.owner === 'another-instance/1')).toBe(true);
        },
      },
      {
        title: 'a PIM that disconnected the app answers 401: the connection is revoked (conditional write)',
        run: async () => {
          world.pim.disconnect(world.app.clientId);
          expect(await worker('scheduled', 5 * 60_000)).toEqual({ batchItemFailures: [] });
          expect(await connection()).toMatchObject({ status: 'revoked' });
        },
      },
    ],
  },
  {
    // The example downstream worker (akeneo:exampleWorker), which the stack deploys with addPimWorker.
    name: 'name-with-sku',
    of: (app) => app.exampleWorkerFunction as NodejsFunction,
    handler: 'functions/name-with-sku.ts',
    paths: [
      {
        title: "on a run's event, writes each product's name back through the entry point (after a reconnect)",
        run: async () => {
          const attempt = await startConnecting();
          expect(
            (await callback({ ...(await world.consent(attempt.authorizeUrl)), cookie: attempt.cookie })).statusCode,
          ).toBe(200);
          const outcome = await world.invoke<PimWorkOutcome<NamingReport>>('name-with-sku', runEvent());
          // The reconciliation rows deleted two products of the PIM before.
          expect(outcome).toMatchObject({
            status: 'done',
            value: { read: PRODUCTS - 2, updated: PRODUCTS - 2, refused: 0 },
          });
        },
      },
      {
        title: 'with every call slot of the PIM leased by another instance, it waits for a lease to end, then reads',
        run: async () => {
          await leaseEveryCallSlot();
          const outcome = await world.invoke<PimWorkOutcome<NamingReport>>('name-with-sku', runEvent());
          // Every name already ends with its SKU: nothing more to write.
          expect(outcome).toMatchObject({ status: 'done', value: { read: PRODUCTS - 2, sent: 0 } });
        },
      },
      {
        title: 'a PIM that disconnected the app answers 401: the connection is revoked (conditional write)',
        run: async () => {
          world.pim.disconnect(world.app.clientId);
          expect(await world.invoke('name-with-sku', runEvent())).toMatchObject({ status: 'revoked', marked: true });
          expect(await connection()).toMatchObject({ status: 'revoked' });
        },
      },
    ],
  },
  {
    name: 'events-webhook',
    of: (app) => app.eventsWebhookFunction,
    handler: 'functions/events-webhook.ts',
    paths: [
      {
        title: "a signed product event is verified with the PIM's secret and queued (FIFO by PIM, by event id)",
        run: async () => {
          await connectAndSubscribe();
          const [uuid] = world.pim.touchProducts(1);
          const body = productEvent({ subscriptionId: SUBSCRIPTION_ID, uuid, id: 'audit-event-1' });
          const answer = await deliver('events-webhook', '/events/{pimHostKey}', body, SIGNING.events.primary);
          expect(answer.statusCode).toBe(200);
          expect(world.sqs.messages.at(-1)).toMatchObject({ groupId: pimHost, deduplicationId: 'audit-event-1' });
        },
      },
    ],
  },
  {
    name: 'event-worker',
    of: (app) => app.eventWorkerFunction,
    handler: 'functions/event-worker.ts',
    paths: [
      {
        title: 'a batch of product events becomes a small run: parts and manifest in S3, its event on the bus',
        run: async () => {
          const published = world.eventBridge.events.length;
          expect(await eventWorker()).toEqual({ batchItemFailures: [] });
          const run = world.eventBridge.events.at(-1);
          expect(world.eventBridge.events).toHaveLength(published + 1);
          expect(run).toMatchObject({ detail: expect.objectContaining({ kind: 'events' }) });
        },
      },
      {
        title: 'with every call slot of the PIM leased by another instance, it waits for a lease to end',
        run: async () => {
          const expiresAt = Math.floor(Date.now() / 1000) + 2;
          for (const slot of CALL_SLOTS) {
            await world.documents.send(
              new PutCommand({
                TableName: callSlotsTable,
                Item: { pimHost, slot: String(slot), owner: 'another-instance/2', expiresAt },
              }),
            );
          }
          expect(await eventWorker()).toEqual({ batchItemFailures: [] });
          for (const slot of CALL_SLOTS) {
            await world.documents.send(
              new DeleteCommand({ TableName: callSlotsTable, Key: { pimHost, slot: String(slot) } }),
            );
          }
        },
      },
      {
        title: 'a PIM that disconnected the app answers 401: the connection is revoked',
        run: async () => {
          world.pim.disconnect(world.app.clientId);
          expect(await eventWorker()).toEqual({ batchItemFailures: [] });
          expect(await connection()).toMatchObject({ status: 'revoked' });
        },
      },
    ],
  },
  {
    name: 'event-notifications-webhook',
    of: (app) => app.eventNotificationsWebhookFunction,
    handler: 'functions/event-notifications-webhook.ts',
    paths: [
      {
        title: 'subscription.revoked offboards the PIM: revoked, its token deleted (conditional write)',
        run: async () => {
          const body = subscriptionNotification(SUBSCRIPTION_ID, 'subscription.revoked');
          const route = '/event-notifications/{pimHostKey}';
          const answer = await deliver('event-notifications-webhook', route, body, SIGNING.notifications);
          expect(answer.statusCode).toBe(200);
          expect(await connection()).toMatchObject({ status: 'revoked', eventPlatform: { state: 'revoked' } });
          expect(await connection()).not.toHaveProperty('encryptedToken');
        },
      },
    ],
  },
];

/** Leases another function instance took a moment ago and never freed: they end within 3 seconds. */
async function leaseEveryCallSlot(): Promise<void> {
  const expiresAt = Math.floor(Date.now() / 1000) + 2;
  for (const slot of CALL_SLOTS) {
    await world.documents.send(
      new PutCommand({
        TableName: callSlotsTable,
        Item: { pimHost, slot: String(slot), owner: 'another-instance/1', expiresAt },
      }),
    );
  }
}

/** A completed run of the connected PIM, as the run events bus delivers it to a rule's target. */
function runEvent() {
  const now = new Date().toISOString();
  return runCompletedEvent(
    runCompletedDetail(
      {
        pimHost,
        pimUrl: world.pim.url,
        runId: 'audit-run',
        window: { to: now },
        partProductCounts: [PRODUCTS],
        rereadCount: 0,
        startedAt: now,
        completedAt: now,
      },
      { bucket: 'exports', key: 'manifest.json', uri: 's3://exports/manifest.json' },
    ),
  );
}

const { stack, template: builtTemplate } = buildStack({ bundle: false, props: { exampleWorker: true } });
const template = builtTemplate.toJSON() as CfnTemplate;
const audited: AuditedFunction[] = FUNCTIONS.map((row) => ({
  name: row.name,
  functionLogicalId: logicalIdOf(stack, row.of(stack.app)),
}));
const syncQueue = logicalIdOf(stack, stack.app.syncQueue);
const eventsQueue = logicalIdOf(stack, stack.app.eventsQueue);
const exportBucket = logicalIdOf(stack, stack.app.exportBucket);
const runEventsBus = logicalIdOf(stack, stack.app.runEventsBus);
let connectionsTable: string;
let callSlotsTable: string;

describe("IAM audit: every AWS call of the functions is allowed by the stack's own policy", () => {
  beforeAll(async () => {
    world = await AwsModeWorld.start({
      template,
      productCount: PRODUCTS,
      functions: FUNCTIONS.map((row, index) => ({ ...audited[index], handler: row.handler })),
    });
    pimHost = new URL(world.pim.url).host;
    connectionsTable = world.names.attribute(logicalIdOf(stack, stack.app.connectionsTable));
    callSlotsTable = world.names.attribute(logicalIdOf(stack, stack.app.callSlotsTable));
  });

  afterAll(async () => {
    await world?.close();
  });

  describe('driving every path that makes a distinct AWS call, in AWS mode', () => {
    for (const row of FUNCTIONS) {
      for (const path of row.paths) it(`${row.name}: ${path.title}`, path.run);
    }
  });

  describe('checking what was recorded against the template', () => {
    let report: AuditReport;
    beforeAll(() => {
      report = auditStack({ template, names: world.names, functions: audited, calls: world.calls });
    });

    it('attributes every recorded call to a function of the table, by its user agent', () => {
      expect(world.calls.length).toBeGreaterThan(0);
      expect(report.problems.filter((problem) => !FUNCTIONS.some((row) => problem.startsWith(`${row.name}:`)))).toEqual(
        [],
      );
    });

    it.each(FUNCTIONS.map((row) => row.name))('%s: every call is allowed and every grant is used', (name) => {
      expect(report.problems.filter((problem) => problem.startsWith(`${name}:`))).toEqual([]);
      expect(report.grants.filter((grant) => grant.functionName === name).length).toBeGreaterThan(0);
    });

    it('fails once any one grant (one action on one resource) is removed from the template', () => {
      expect(report.problems).toEqual([]);
      const survivors = report.grants
        .filter((grant) => {
          const mutated = withoutGrant(template, grant);
          const { problems } = auditStack({
            template: mutated,
            names: world.names,
            functions: audited,
            calls: world.calls,
          });
          return !problems.some((problem) => problem.startsWith(`${grant.functionName}:`));
        })
        .map((grant) => `${grant.functionName}: ${grant.action} on ${grant.resource} (${grant.source})`);

      expect(report.grants.length).toBeGreaterThanOrEqual(25);
      expect(survivors).toEqual([]);
    });

    it("checks the worker's events on its bus against the grant's source and detail-type", () => {
      const busArn = world.names.attribute(runEventsBus, 'Arn');
      expect(report.checked.get('sync-worker')).toContain(`events:PutEvents on ${busArn}`);
      const otherSource = JSON.parse(
        JSON.stringify(template).replace('"events:source":"akeneo-custom-app"', '"events:source":"another-app"'),
      ) as CfnTemplate;
      expect(otherSource).not.toEqual(template);

      const { problems } = auditStack({
        template: otherSource,
        names: world.names,
        functions: audited,
        calls: world.calls,
      });

      // Two calls: a Sync Run Completed event and a Reconciliation Completed event, each refused.
      expect(problems).toEqual([
        expect.stringMatching(new RegExp(`^sync-worker: events:PutEvents on ${busArn} .* would be AccessDenied`)),
        expect.stringMatching(new RegExp(`^sync-worker: events:PutEvents on ${busArn} .* would be AccessDenied`)),
        expect.stringMatching(/^sync-worker: .* grants events:PutEvents on .*, which no call used/),
      ]);
    });

    it("reports the worker's polling grants as unused once its event source mapping is gone", () => {
      const resources = Object.fromEntries(
        Object.entries(template.Resources).filter(
          ([, resource]) => resource.Type !== 'AWS::Lambda::EventSourceMapping',
        ),
      );
      const { problems } = auditStack({
        template: { ...template, Resources: resources },
        names: world.names,
        functions: audited,
        calls: world.calls,
      });

      expect(problems.filter((problem) => problem.startsWith('sync-worker:'))).toEqual(
        ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].map((action) =>
          expect.stringMatching(new RegExp(`^sync-worker: .* grants ${action} on .*, which no call used`)),
        ),
      );
    });
  });
});
