import { RemovalPolicy } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { CALL_SLOTS_TABLE, CONNECTIONS_TABLE, STATES_TABLE } from '../../functions/contract/tables';
import { createTableInput } from '../../local/tables';
import { buildStack, logicalIdOf } from './helpers/build-stack';

const { stack, template } = buildStack({ bundle: false });
const app = stack.app;
const resourceOf = (construct: Parameters<typeof logicalIdOf>[1]) =>
  template.toJSON().Resources[logicalIdOf(stack, construct)];

describe('Tables', () => {
  const protectedOnDemand = {
    BillingMode: 'PAY_PER_REQUEST',
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    SSESpecification: { SSEEnabled: true },
    DeletionProtectionEnabled: true,
  };

  it('keys authorization states by the state hash and expires them through expiresAt', () => {
    expect(resourceOf(app.statesTable).Properties).toEqual(
      expect.objectContaining({
        ...protectedOnDemand,
        KeySchema: [{ AttributeName: 'stateHash', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'stateHash', AttributeType: 'S' }],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
  });

  it('keys connections by PIM host, with no sort key, the status index and the reconcile-due index', () => {
    const properties = resourceOf(app.connectionsTable).Properties;

    expect(properties).toEqual(
      expect.objectContaining({
        ...protectedOnDemand,
        KeySchema: [{ AttributeName: 'pimHost', KeyType: 'HASH' }],
      }),
    );
    expect(properties.AttributeDefinitions).toEqual([
      { AttributeName: 'pimHost', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
      { AttributeName: 'reconcileDueAt', AttributeType: 'S' },
    ]);
    expect(properties.GlobalSecondaryIndexes.map((index: { IndexName: string }) => index.IndexName)).toEqual([
      'status-index',
      'reconcile-due-index',
    ]);
    expect(properties.TimeToLiveSpecification).toBeUndefined();
  });

  it('keys call slot leases by PIM host and slot, expires them through expiresAt, and keeps nothing of them', () => {
    const resource = resourceOf(app.callSlotsTable);

    expect(resource.Properties).toEqual(
      expect.objectContaining({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true },
        KeySchema: [
          { AttributeName: 'pimHost', KeyType: 'HASH' },
          { AttributeName: 'slot', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pimHost', AttributeType: 'S' },
          { AttributeName: 'slot', AttributeType: 'S' },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
        DeletionProtectionEnabled: false,
      }),
    );
    expect(resource.Properties.GlobalSecondaryIndexes).toBeUndefined();
    // Leases of 40 seconds at most: a retained table would only keep ended ones.
    expect(resource).toEqual(expect.objectContaining({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' }));
  });

  it('are created locally with the keys and indexes the stack gives them, from the same definitions', () => {
    for (const [table, definition] of [
      [app.statesTable, STATES_TABLE],
      [app.connectionsTable, CONNECTIONS_TABLE],
      [app.callSlotsTable, CALL_SLOTS_TABLE],
    ] as const) {
      const deployed = resourceOf(table).Properties;
      const local = createTableInput('local-name', definition);

      expect(local.KeySchema).toEqual(deployed.KeySchema);
      expect(local.AttributeDefinitions).toEqual(deployed.AttributeDefinitions);
      expect(local.GlobalSecondaryIndexes).toEqual(deployed.GlobalSecondaryIndexes);
      expect(local.BillingMode).toBe(deployed.BillingMode);
    }
  });

  it('survives a mistaken cdk destroy', () => {
    for (const table of [app.statesTable, app.connectionsTable]) {
      expect(resourceOf(table)).toEqual(
        expect.objectContaining({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }),
      );
    }
  });
});

describe('Token key', () => {
  it('is a customer-managed key with rotation, retained, under an alias', () => {
    expect(resourceOf(app.tokenKey)).toEqual(
      expect.objectContaining({
        Type: 'AWS::KMS::Key',
        DeletionPolicy: 'Retain',
        Properties: expect.objectContaining({ EnableKeyRotation: true }),
      }),
    );
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/Test/pim-tokens',
      TargetKeyId: { 'Fn::GetAtt': [logicalIdOf(stack, app.tokenKey), 'Arn'] },
    });
  });

  it("has the app's own key policy instead of CDK's default kms:* for the account", () => {
    // What each statement allows, and to whom, is checked in least-privilege.test.ts.
    const statements: { Sid?: string; Action: string | string[] }[] = resourceOf(app.tokenKey).Properties.KeyPolicy
      .Statement;

    // The account's administration, then one statement per use (the callback's, the sync worker's, the event worker's).
    expect(statements).toHaveLength(4);
    expect(statements[0].Sid).toBe('AccountAdministersTheKeyWithoutUsingIt');
    expect(statements.flatMap((statement) => statement.Action)).not.toContain('kms:*');
  });
});

describe('A throwaway dev stack', () => {
  const dev = buildStack({ bundle: false, props: { dataRemovalPolicy: RemovalPolicy.DESTROY } });
  const resources = dev.template.toJSON().Resources;
  const of = (construct: Table | typeof app.tokenKey | typeof app.exportBucket) =>
    resources[logicalIdOf(dev.stack, construct)];

  it('deletes its tables and token key, without deletion protection', () => {
    for (const table of [dev.stack.app.statesTable, dev.stack.app.connectionsTable]) {
      expect(of(table)).toEqual(expect.objectContaining({ DeletionPolicy: 'Delete' }));
      expect(of(table).Properties.DeletionProtectionEnabled).toBe(false);
    }
    expect(of(dev.stack.app.tokenKey)).toEqual(expect.objectContaining({ DeletionPolicy: 'Delete' }));
  });

  it('empties and deletes its export and access-log buckets', () => {
    const buckets = [dev.stack.app.exportBucket, dev.stack.app.exportAccessLogBucket];
    const autoDeleted = Object.values(dev.template.findResources('Custom::S3AutoDeleteObjects')).map(
      (r) => r.Properties.BucketName,
    );

    for (const bucket of buckets) expect(of(bucket)).toEqual(expect.objectContaining({ DeletionPolicy: 'Delete' }));
    expect(autoDeleted).toEqual(
      expect.arrayContaining(buckets.map((bucket) => ({ Ref: logicalIdOf(dev.stack, bucket) }))),
    );
    expect(autoDeleted).toHaveLength(2);
  });
});
