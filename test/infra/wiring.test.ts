import { DynamoDbCallSlots } from '../../functions/adapters/call-slots';
import {
  DynamoDbActiveConnections,
  DynamoDbConnectionStore,
  DynamoDbSyncStateStore,
} from '../../functions/adapters/connection-store';
import { SecretsManagerCredentialsRegistry } from '../../functions/adapters/credentials-registry';
import { SecretsManagerEventPlatformSecretStore } from '../../functions/adapters/event-platform-secrets';
import { S3ProductSink } from '../../functions/adapters/product-sink';
import { EventBridgeRunEvents } from '../../functions/adapters/run-events';
import { DynamoDbStateStore } from '../../functions/adapters/state-store';
import { SqsSyncQueue } from '../../functions/adapters/sync-queue';
import { KmsTokenCipher } from '../../functions/adapters/token-cipher/kms';
import { S3UuidSnapshots } from '../../functions/adapters/uuid-snapshots';
import { loadConfig } from '../../functions/config';
import { createActivateAdapters } from '../../functions/wiring/activate';
import { createCallbackAdapters } from '../../functions/wiring/callback';
import { createSyncDispatchAdapters } from '../../functions/wiring/sync-dispatch';
import { createSyncWorkerAdapters } from '../../functions/wiring/sync-worker';
import { buildStack, logicalIdOf } from './helpers/build-stack';

type Template = ReturnType<typeof buildStack>['template'];

/** The environment a function gets on AWS, with each CloudFormation reference turned into a recognisable value. */
function deployedEnvironment(template: Template, entry: string): Record<string, string> {
  const functions = template.findResources('AWS::Lambda::Function');
  const found = Object.values(functions).find((fn) =>
    String((fn as { Properties: { Description?: string } }).Properties.Description ?? '').includes(entry),
  ) as { Properties: { Environment: { Variables: Record<string, unknown> } } } | undefined;
  if (!found) throw new Error(`No function described as ${entry}`);
  const resolve = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const ref = (value as { Ref?: string }).Ref;
    if (ref) return `ref:${ref}`;
    const attribute = (value as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'];
    if (attribute) return `arn:${attribute.join('.')}`;
    // A URL put together from references (the API's): each reference becomes a host-name-safe word.
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) {
      const word = (part: unknown) =>
        resolve(part)
          .replace(/^ref:/, '')
          .replace(/[^A-Za-z0-9.-]/g, '')
          .toLowerCase();
      return join[1].map((part) => (typeof part === 'string' ? part : word(part))).join(join[0]);
    }
    return JSON.stringify(value);
  };
  return Object.fromEntries(Object.entries(found.Properties.Environment.Variables).map(([k, v]) => [k, resolve(v)]));
}

/** Each handler's adapters, built exactly from what the template gives its function: the AWS ones, on its resources. */
describe('AWS wiring from the deployed environment', () => {
  const { stack, template } = buildStack({ bundle: false });
  const tableRef = (logicalIdStart: string) =>
    `ref:${Object.keys(template.findResources('AWS::DynamoDB::Table')).find((id) => id.includes(logicalIdStart))}`;

  it('gives Activate the Secrets Manager registry under the prefix and the States table', () => {
    const config = loadConfig(deployedEnvironment(template, 'GET /activate'));
    const adapters = createActivateAdapters(config);

    expect(config.mode).toBe('aws');
    expect(adapters.credentials).toBeInstanceOf(SecretsManagerCredentialsRegistry);
    expect(adapters.credentials).toMatchObject({ prefix: 'akeneo-custom-app/pims', maxAgeSeconds: 60 });
    expect(adapters.states).toBeInstanceOf(DynamoDbStateStore);
    expect(adapters.states.tableName).toBe(tableRef('States'));
    expect(Object.keys(adapters)).not.toContain('connections');
  });

  it('gives Callback the States and Connections tables, the registry and the KMS token cipher', () => {
    const environment = deployedEnvironment(template, 'GET /callback');
    const config = loadConfig(environment);
    const adapters = createCallbackAdapters(config);

    expect(adapters.states.tableName).toBe(tableRef('States'));
    expect(adapters.connections).toBeInstanceOf(DynamoDbConnectionStore);
    expect(adapters.connections.tableName).toBe(tableRef('Connections'));
    expect(adapters.credentials).toBeInstanceOf(SecretsManagerCredentialsRegistry);
    expect(adapters.cipher).toBeInstanceOf(KmsTokenCipher);
    expect(config.tokenKmsKeyId).toMatch(/^arn:.*Key.*\.Arn$/);
    expect(config.scopes).toContain('read_products');
    expect(config.appPublicUrl).toMatch(/^https:\/\/[a-z0-9]*httpapi[a-z0-9]*\.execute-api\.[^/]+$/);
    expect(adapters.eventPlatformSecrets).toBeInstanceOf(SecretsManagerEventPlatformSecretStore);
    expect(adapters.eventPlatformSecrets).toMatchObject({ prefix: 'akeneo-custom-app/pims' });
  });

  it('gives the sync dispatch the status index of the Connections table and the SQS sync queue', () => {
    const config = loadConfig(deployedEnvironment(template, 'sync dispatch'));
    const adapters = createSyncDispatchAdapters(config);

    expect(config.mode).toBe('aws');
    expect(config.syncScheduleMinutes).toBe(15);
    expect(adapters.connections).toBeInstanceOf(DynamoDbActiveConnections);
    expect(adapters.connections).toMatchObject({ tableName: tableRef('Connections'), indexName: 'status-index' });
    expect(adapters.queue).toBeInstanceOf(SqsSyncQueue);
    expect(adapters.queue).toMatchObject({ queueUrl: `ref:${logicalIdOf(stack, stack.app.syncQueue)}` });
    expect(adapters.reconcileDue).toMatchObject({
      tableName: tableRef('Connections'),
      indexName: 'reconcile-due-index',
    });
    expect(Object.keys(adapters).sort()).toEqual(['connections', 'queue', 'reconcileDue', 'syncTimes']);
    expect(adapters.syncTimes).toMatchObject({ options: { tableName: tableRef('Connections') } });
  });

  it('gives the sync worker the Connections table, the shared call slots, the KMS token cipher, the S3 sink, the sync queue and the bus', () => {
    const config = loadConfig(deployedEnvironment(template, 'sync worker'));
    const adapters = createSyncWorkerAdapters(config);

    expect(adapters.store).toBeInstanceOf(DynamoDbSyncStateStore);
    expect(adapters.store.tableName).toBe(tableRef('Connections'));
    expect(adapters.callSlots).toBeInstanceOf(DynamoDbCallSlots);
    expect(adapters.callSlots).toMatchObject({ tableName: tableRef('CallSlots') });
    expect(adapters.cipher).toBeInstanceOf(KmsTokenCipher);
    expect(config.tokenKmsKeyId).toBe(`arn:${logicalIdOf(stack, stack.app.tokenKey)}.Arn`);
    expect(adapters.sink).toBeInstanceOf(S3ProductSink);
    expect(adapters.sink).toMatchObject({ bucketName: `ref:${logicalIdOf(stack, stack.app.exportBucket)}` });
    expect(adapters.queue).toBeInstanceOf(SqsSyncQueue);
    expect(adapters.queue).toMatchObject({ queueUrl: `ref:${logicalIdOf(stack, stack.app.syncQueue)}` });
    expect(adapters.runEvents).toBeInstanceOf(EventBridgeRunEvents);
    expect(adapters.runEvents).toMatchObject({ busName: `ref:${logicalIdOf(stack, stack.app.runEventsBus)}` });
    expect(adapters.snapshots).toBeInstanceOf(S3UuidSnapshots);
    expect(adapters.snapshots).toMatchObject({ bucketName: `ref:${logicalIdOf(stack, stack.app.exportBucket)}` });
    expect(config.reconcileHours).toBe(24);
  });
});
