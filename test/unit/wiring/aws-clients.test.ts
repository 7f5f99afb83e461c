import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { loadConfig } from '../../../functions/config';
import { APP_FUNCTIONS, type AppFunctionName, workerName } from '../../../functions/contract/names';
import { createActivateAdapters } from '../../../functions/wiring/activate';
import { awsClients } from '../../../functions/wiring/aws-clients';
import { createCallbackAdapters } from '../../../functions/wiring/callback';
import {
  createEventNotificationsWebhookAdapters,
  createEventsWebhookAdapters,
} from '../../../functions/wiring/event-webhooks';
import { createEventWorkerAdapters } from '../../../functions/wiring/event-worker';
import { createPimAccess } from '../../../functions/wiring/pim-access';
import { createSyncDispatchAdapters } from '../../../functions/wiring/sync-dispatch';
import { createSyncWorkerAdapters } from '../../../functions/wiring/sync-worker';
import { overrideEnv } from '../../support/process-env';

const ROOT = join(__dirname, '..', '..', '..');

/** Answers every request with a 400 the SDK does not retry, and keeps each request's user agent and target. */
async function startRecorder(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const service = String(request.headers['x-amz-target'] ?? `s3 ${request.method} ${request.url}`).split('.')[0];
      seen.push(`${service} ${request.headers['user-agent'] ?? ''}`);
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ __type: 'ValidationException', message: 'recorded' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the AWS client factory', () => {
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  let restoreEnv: () => void;

  beforeAll(async () => {
    recorder = await startRecorder();
    restoreEnv = overrideEnv({
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: recorder.url,
    });
  });
  afterAll(async () => {
    restoreEnv();
    await recorder.close();
  });
  beforeEach(() => recorder.seen.splice(0));

  it('names the function in the user agent of every request, as akeneo-custom-app/<function>', async () => {
    const sqs = awsClients('sync-dispatch').create(SQSClient);

    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: `${recorder.url}/q`, MessageBody: '{}' })),
    ).rejects.toThrow();

    expect(recorder.seen).toHaveLength(1);
    expect(recorder.seen[0]).toMatch(/ akeneo-custom-app\/sync-dispatch( |$)/);
  });

  /** One call through each port that reaches AWS, with the adapters each function's wiring builds on AWS. */
  const callsOf: Record<Exclude<AppFunctionName, 'landing'>, () => Promise<unknown>[]> = {
    activate: () => {
      const config = loadConfig({ STATES_TABLE_NAME: 'states' });
      const adapters = createActivateAdapters(config);
      return [adapters.credentials.get('pim.example.com'), adapters.states.consume('a'.repeat(64), 'b'.repeat(64), 1)];
    },
    callback: () => {
      const config = loadConfig({ STATES_TABLE_NAME: 's', CONNECTIONS_TABLE_NAME: 'c', TOKEN_KMS_KEY_ID: 'k' });
      const adapters = createCallbackAdapters(config);
      return [
        adapters.credentials.get('pim.example.com'),
        adapters.states.consume('a'.repeat(64), 'b'.repeat(64), 1),
        adapters.connections.get('pim.example.com'),
        adapters.cipher.prepare('pim.example.com'),
      ];
    },
    'sync-dispatch': () => {
      const config = loadConfig({ CONNECTIONS_TABLE_NAME: 'c', SYNC_QUEUE_URL: `${recorder.url}/q.fifo` });
      const adapters = createSyncDispatchAdapters(config);
      return [
        adapters.connections.pages()[Symbol.asyncIterator]().next(),
        adapters.queue.send([{ pimHost: 'p', kind: 'scheduled', deduplicationId: 'd' }]),
      ];
    },
    'sync-worker': () => {
      const config = loadConfig({
        CONNECTIONS_TABLE_NAME: 'c',
        CALL_SLOTS_TABLE_NAME: 's',
        TOKEN_KMS_KEY_ID: 'k',
        SYNC_QUEUE_URL: `${recorder.url}/q.fifo`,
        EXPORT_BUCKET_NAME: 'exports',
        S3_FORCE_PATH_STYLE: 'true',
        RUN_EVENTS_BUS_NAME: 'runs',
      });
      const adapters = createSyncWorkerAdapters(config);
      return [
        adapters.store.get('pim.example.com'),
        adapters.callSlots.run('pim.example.com', async () => undefined),
        adapters.cipher.decrypt('kms1.AAAA.AAAA.AAAA.AAAA', 'pim.example.com'),
        adapters.sink.writePart({ pimHost: 'pim.example.com', runId: 'r' }, 1, [{ uuid: 'u' }]),
        adapters.queue.send([{ pimHost: 'p', kind: 'continuation', runId: 'r', deduplicationId: 'd' }]),
        adapters.runEvents.publishRunCompleted({
          version: 1,
          pimHost: 'pim.example.com',
          pimUrl: 'https://pim.example.com',
          runId: 'r',
          manifest: { bucket: 'exports', key: 'k', uri: 's3://exports/k' },
          counts: { products: 0, changed: 0, reread: 0, parts: 0 },
          window: { to: '2026-11-28T12:00:00.000Z' },
          startedAt: '2026-11-28T12:00:00.000Z',
          completedAt: '2026-11-28T12:00:01.000Z',
        }),
      ];
    },
    'events-webhook': () => {
      const config = loadConfig({ CONNECTIONS_TABLE_NAME: 'c', EVENTS_QUEUE_URL: `${recorder.url}/events.fifo` });
      const adapters = createEventsWebhookAdapters(config);
      return [
        adapters.store.get('pim.example.com'),
        adapters.secrets.get('pim.example.com'),
        adapters.credentials.get('pim.example.com'),
        adapters.queue.send({
          pimHost: 'pim.example.com',
          eventId: 'e',
          change: 'updated',
          productUuid: 'u',
          time: '2026-11-28T12:00:00.000Z',
        }),
      ];
    },
    'event-notifications-webhook': () => {
      const config = loadConfig({ CONNECTIONS_TABLE_NAME: 'c' });
      const adapters = createEventNotificationsWebhookAdapters(config);
      return [adapters.store.get('pim.example.com'), adapters.secrets.get('pim.example.com')];
    },
    'event-worker': () => {
      const config = loadConfig({
        CONNECTIONS_TABLE_NAME: 'c',
        CALL_SLOTS_TABLE_NAME: 's',
        TOKEN_KMS_KEY_ID: 'k',
        EXPORT_BUCKET_NAME: 'exports',
        S3_FORCE_PATH_STYLE: 'true',
        RUN_EVENTS_BUS_NAME: 'runs',
      });
      const adapters = createEventWorkerAdapters(config);
      return [
        adapters.store.get('pim.example.com'),
        adapters.callSlots.run('pim.example.com', async () => undefined),
        adapters.cipher.decrypt('kms1.AAAA.AAAA.AAAA.AAAA', 'pim.example.com'),
        adapters.sink.writeDeleted({ pimHost: 'pim.example.com', runId: 'r' }, ['u']),
        adapters.runEvents.publishRunCompleted({
          version: 1,
          kind: 'events',
          pimHost: 'pim.example.com',
          pimUrl: 'https://pim.example.com',
          runId: 'r',
          manifest: { bucket: 'exports', key: 'k', uri: 's3://exports/k' },
          counts: { products: 0, changed: 0, reread: 0, parts: 0, deleted: 1 },
          window: { to: '2026-11-28T12:00:00.000Z' },
          startedAt: '2026-11-28T12:00:00.000Z',
          completedAt: '2026-11-28T12:00:01.000Z',
        }),
      ];
    },
  };

  it.each(Object.keys(callsOf) as Array<keyof typeof callsOf>)(
    'builds every client of %s through it: each of its calls carries its name',
    async (fn) => {
      const calls = callsOf[fn]();
      await Promise.allSettled(calls);

      expect(recorder.seen).toHaveLength(calls.length);
      for (const request of recorder.seen) expect(request).toMatch(new RegExp(` akeneo-custom-app/${fn}( |$)`));
    },
  );

  it("builds the entry point to the PIMs of any function with that function's clients", async () => {
    const config = loadConfig({ CONNECTIONS_TABLE_NAME: 'c', TOKEN_KMS_KEY_ID: 'k', CALL_SLOTS_TABLE_NAME: 's' });

    await expect(createPimAccess(config, awsClients('sync-worker')).open('pim.example.com')).rejects.toThrow();

    expect(recorder.seen).toEqual([expect.stringMatching(/^DynamoDB_20120810 .* akeneo-custom-app\/sync-worker( |$)/)]);
  });

  it("names a downstream worker's calls after the worker, the entry point's included", async () => {
    const config = loadConfig({ CONNECTIONS_TABLE_NAME: 'c', TOKEN_KMS_KEY_ID: 'k', CALL_SLOTS_TABLE_NAME: 's' });
    const worker = awsClients(workerName('price-feed'));

    await expect(createPimAccess(config, worker).open('pim.example.com')).rejects.toThrow();

    expect(worker.fn).toBe('price-feed');
    expect(recorder.seen).toEqual([expect.stringMatching(/^DynamoDB_20120810 .* akeneo-custom-app\/price-feed( |$)/)]);
  });

  it('covers every function that calls AWS (the landing page calls none)', () => {
    expect(Object.keys(callsOf).sort()).toEqual(APP_FUNCTIONS.filter((fn) => fn !== 'landing').sort());
  });

  it('is the only place in functions/ that constructs an AWS SDK client', () => {
    const files = (directory: string): string[] =>
      readdirSync(directory).flatMap((name) => {
        const path = join(directory, name);
        return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
      });
    const constructing = files(join(ROOT, 'functions')).filter((file) =>
      /new \w*(DynamoDB|SecretsManager|KMS|SQS|S3|EventBridge)Client\(/.test(readFileSync(file, 'utf8')),
    );

    expect(constructing.map((file) => relative(ROOT, file))).toEqual([]);
  });
});
