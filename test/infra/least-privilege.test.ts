import * as path from 'node:path';
import type { IConstruct } from 'constructs';
import { awsActionsCalledBy } from './helpers/aws-calls-in-code';
import { buildStack, logicalIdOf } from './helpers/build-stack';
import { render } from './helpers/render';
import { grantLines, grantsOfRole } from './helpers/role-grants';

const { stack, template } = buildStack({ bundle: false });
const app = stack.app;

const labels = new Map<string, string>(
  (
    [
      ['StatesTable', app.statesTable],
      ['ConnectionsTable', app.connectionsTable],
      ['CallSlotsTable', app.callSlotsTable],
      ['TokenKey', app.tokenKey],
      ['LandingLogs', app.landingFunction.logGroup],
      ['ActivateLogs', app.activateFunction.logGroup],
      ['CallbackLogs', app.callbackFunction.logGroup],
      ['SyncDispatchLogs', app.syncDispatchFunction.logGroup],
      ['SyncWorkerLogs', app.syncWorkerFunction.logGroup],
      ['EventsWebhookLogs', app.eventsWebhookFunction.logGroup],
      ['EventNotificationsWebhookLogs', app.eventNotificationsWebhookFunction.logGroup],
      ['EventWorkerLogs', app.eventWorkerFunction.logGroup],
      ['SyncQueue', app.syncQueue],
      ['EventsQueue', app.eventsQueue],
      ['ExportBucket', app.exportBucket],
      ['RunEventsBus', app.runEventsBus],
      ['CallbackRole', app.callbackFunction.role],
      ['SyncWorkerRole', app.syncWorkerFunction.role],
      ['EventWorkerRole', app.eventWorkerFunction.role],
    ] as [string, IConstruct][]
  ).map(([label, construct]) => [logicalIdOf(stack, construct), label]),
);

function grantsOf(fn: typeof app.landingFunction): string[] {
  if (!fn.role) throw new Error('The function has no role');
  return grantsOfRole(template, logicalIdOf(stack, fn.role), labels);
}

const SECRETS = 'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:akeneo-custom-app/pims/*';
const EVENT_PLATFORM_SECRETS =
  'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:akeneo-custom-app/pims/*/event-platform*';
const SIGNING_SECRETS =
  'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:akeneo-custom-app/pims/*/event-platform-*';
const PIM_HOST_CONTEXT_ONLY = {
  'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['pimHost'] },
  Null: { 'kms:EncryptionContextKeys': 'false' },
};
const ENCRYPTION_CONTEXT_IS_PIM_HOST = JSON.stringify(PIM_HOST_CONTEXT_ONLY);
const RUN_COMPLETED_EVENTS_ONLY = JSON.stringify({
  StringEquals: {
    'events:source': 'akeneo-custom-app',
    'events:detail-type': ['Sync Run Completed', 'Reconciliation Completed'],
  },
});
/** The event worker publishes only the run-completed events of its small runs, never a reconciliation's. */
const SYNC_RUN_COMPLETED_ONLY = JSON.stringify({
  StringEquals: { 'events:source': 'akeneo-custom-app', 'events:detail-type': 'Sync Run Completed' },
});
const logs = (name: string) => [`logs:CreateLogStream <${name}.Arn>`, `logs:PutLogEvents <${name}.Arn>`];

describe('Least privilege', () => {
  it('lets the landing function write its own logs and nothing else', () => {
    expect(grantsOf(app.landingFunction)).toEqual([...logs('LandingLogs')].sort());
  });

  it('lets activate read PIM credentials and write states, and nothing on connections or KMS', () => {
    expect(grantsOf(app.activateFunction)).toEqual(
      [
        ...logs('ActivateLogs'),
        'dynamodb:PutItem <StatesTable.Arn>',
        `secretsmanager:GetSecretValue ${SECRETS}`,
      ].sort(),
    );
  });

  it("lets callback consume states, read credentials, create a PIM's Event Platform secrets, encrypt for one PIM and write connections", () => {
    expect(grantsOf(app.callbackFunction)).toEqual(
      [
        ...logs('CallbackLogs'),
        'dynamodb:GetItem <StatesTable.Arn>',
        'dynamodb:UpdateItem <StatesTable.Arn>',
        'dynamodb:GetItem <ConnectionsTable.Arn>',
        'dynamodb:UpdateItem <ConnectionsTable.Arn>',
        `secretsmanager:GetSecretValue ${SECRETS}`,
        `secretsmanager:CreateSecret ${EVENT_PLATFORM_SECRETS}`,
        `kms:GenerateDataKey <TokenKey.Arn> if ${ENCRYPTION_CONTEXT_IS_PIM_HOST}`,
      ].sort(),
    );
  });

  it('lets the sync dispatch query the status and reconcile-due indexes, read when each connection last synced, and send to the sync queue, and nothing else', () => {
    expect(grantsOf(app.syncDispatchFunction)).toEqual(
      [
        ...logs('SyncDispatchLogs'),
        'dynamodb:BatchGetItem <ConnectionsTable.Arn>',
        'dynamodb:Query <ConnectionsTable.Arn>/index/status-index',
        'dynamodb:Query <ConnectionsTable.Arn>/index/reconcile-due-index',
        'sqs:SendMessage <SyncQueue.Arn>',
      ].sort(),
    );
  });

  it('lets the sync worker read and update connections, take and free PIM call slots, decrypt for one PIM, write exports, read back reconciliation snapshots only, use its queue and put its own events on its bus', () => {
    expect(grantsOf(app.syncWorkerFunction)).toEqual(
      [
        ...logs('SyncWorkerLogs'),
        'dynamodb:GetItem <ConnectionsTable.Arn>',
        'dynamodb:UpdateItem <ConnectionsTable.Arn>',
        'dynamodb:PutItem <CallSlotsTable.Arn>',
        'dynamodb:DeleteItem <CallSlotsTable.Arn>',
        'dynamodb:Query <CallSlotsTable.Arn>',
        'dynamodb:UpdateItem <CallSlotsTable.Arn>',
        `kms:Decrypt <TokenKey.Arn> if ${ENCRYPTION_CONTEXT_IS_PIM_HOST}`,
        's3:PutObject <ExportBucket.Arn>/*',
        's3:GetObject <ExportBucket.Arn>/*/reconciliation/*',
        'sqs:SendMessage <SyncQueue.Arn>',
        'sqs:ReceiveMessage <SyncQueue.Arn>',
        'sqs:DeleteMessage <SyncQueue.Arn>',
        'sqs:GetQueueAttributes <SyncQueue.Arn>',
        `events:PutEvents <RunEventsBus.Arn> if ${RUN_COMPLETED_EVENTS_ONLY}`,
      ].sort(),
    );
  });

  it('lets the events webhook read a connection, the PIM secrets, and send to the events queue, and nothing else', () => {
    expect(grantsOf(app.eventsWebhookFunction)).toEqual(
      [
        ...logs('EventsWebhookLogs'),
        'dynamodb:GetItem <ConnectionsTable.Arn>',
        `secretsmanager:GetSecretValue ${SECRETS}`,
        'sqs:SendMessage <EventsQueue.Arn>',
      ].sort(),
    );
  });

  it('lets the notifications webhook read and update a connection and read only the signing secrets', () => {
    expect(grantsOf(app.eventNotificationsWebhookFunction)).toEqual(
      [
        ...logs('EventNotificationsWebhookLogs'),
        'dynamodb:GetItem <ConnectionsTable.Arn>',
        'dynamodb:UpdateItem <ConnectionsTable.Arn>',
        `secretsmanager:GetSecretValue ${SIGNING_SECRETS}`,
      ].sort(),
    );
  });

  it('lets the event worker read and update connections, take call slots, decrypt for one PIM, write exports, consume its queue and put its own events', () => {
    expect(grantsOf(app.eventWorkerFunction)).toEqual(
      [
        ...logs('EventWorkerLogs'),
        'dynamodb:GetItem <ConnectionsTable.Arn>',
        'dynamodb:UpdateItem <ConnectionsTable.Arn>',
        'dynamodb:PutItem <CallSlotsTable.Arn>',
        'dynamodb:DeleteItem <CallSlotsTable.Arn>',
        'dynamodb:Query <CallSlotsTable.Arn>',
        'dynamodb:UpdateItem <CallSlotsTable.Arn>',
        `kms:Decrypt <TokenKey.Arn> if ${ENCRYPTION_CONTEXT_IS_PIM_HOST}`,
        's3:PutObject <ExportBucket.Arn>/*',
        'sqs:ReceiveMessage <EventsQueue.Arn>',
        'sqs:DeleteMessage <EventsQueue.Arn>',
        'sqs:GetQueueAttributes <EventsQueue.Arn>',
        `events:PutEvents <RunEventsBus.Arn> if ${SYNC_RUN_COMPLETED_ONLY}`,
      ].sort(),
    );
  });

  describe('the ops policy', () => {
    const policy = template.findResources('AWS::IAM::ManagedPolicy')[logicalIdOf(stack, app.opsPolicy)];
    const opsGrants = grantLines(policy.Properties.PolicyDocument.Statement, labels);
    const grantedActions = new Set(opsGrants.map((line) => line.split(' ')[0]));
    // Every file of the CLI, and every function of the app it calls; the local target's own database code
    // (local/) talks to the embedded DynamoDB, never to AWS, and the contract and the core (functions/contract/ and
    // functions/core/, pure: a Biome rule) make no call at all. Read once: it type-checks the CLI's code.
    let cliCalls: string[];
    beforeAll(() => {
      cliCalls = awsActionsCalledBy({
        projectRoot: path.resolve(__dirname, '..', '..'),
        roots: ['ops'],
        skip: ['local', 'functions/contract', 'functions/core'],
      });
    });

    it('is attached to no role: ops attach it to their own users or roles', () => {
      expect(policy.Properties.Roles ?? policy.Properties.Users ?? policy.Properties.Groups).toBeUndefined();
    });

    it("manages PIM credentials under the prefix, lists them, scans connections and reads this stack's outputs", () => {
      expect(opsGrants).toEqual(
        [
          'cloudformation:DescribeStacks <AWS::StackId>',
          'dynamodb:Scan <ConnectionsTable.Arn>',
          `secretsmanager:CreateSecret ${SECRETS}`,
          `secretsmanager:DeleteSecret ${SECRETS}`,
          `secretsmanager:DescribeSecret ${SECRETS}`,
          `secretsmanager:GetSecretValue ${SECRETS}`,
          'secretsmanager:ListSecrets *',
          `secretsmanager:PutSecretValue ${SECRETS}`,
          // CreateSecret tags each secret with its PIM URL, which IAM authorizes as TagResource.
          `secretsmanager:TagResource ${SECRETS}`,
        ].sort(),
      );
    });

    it('grants every AWS call the ops CLI can make, so every --aws command (with --stack) runs with it alone', () => {
      expect(cliCalls).toEqual(
        expect.arrayContaining(['cloudformation:DescribeStacks', 'dynamodb:Scan', 'secretsmanager:CreateSecret']),
      );
      expect(cliCalls.filter((action) => !grantedActions.has(action))).toEqual([]);
    });

    it('grants nothing the ops CLI never calls, but the tagging that CreateSecret needs', () => {
      expect([...grantedActions].filter((action) => !cliCalls.includes(action))).toEqual([
        'secretsmanager:TagResource',
      ]);
    });
  });

  it('has no wildcard action in any IAM policy', () => {
    const actions = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].flatMap((type) =>
      Object.values(template.findResources(type)).flatMap((p) =>
        p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => s.Action),
      ),
    );

    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  it('lets only the callback encrypt tokens and only the two workers decrypt them: no other KMS right anywhere', () => {
    const roleNames = new Map<string, string>(
      (
        [
          ['Callback', app.callbackFunction],
          ['SyncWorker', app.syncWorkerFunction],
          ['EventWorker', app.eventWorkerFunction],
        ] as const
      ).map(([name, fn]) => [logicalIdOf(stack, fn.role as IConstruct), name]),
    );
    const holder = (roleRef: unknown) => {
      const id = (roleRef as { Ref?: string }).Ref ?? JSON.stringify(roleRef);
      return roleNames.get(id) ?? id;
    };
    type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
    type Document = { Statement: Statement[] };
    // Every policy document an identity can hold: roles' inline policies, policies and managed policies (with the
    // roles they are attached to; a managed policy attached to none is listed as such).
    const documents: [string[], Document][] = [
      ...Object.entries(template.findResources('AWS::IAM::Role')).flatMap(([id, role]) =>
        ((role.Properties.Policies ?? []) as { PolicyDocument: Document }[]).map((p): [string[], Document] => [
          [holder({ Ref: id })],
          p.PolicyDocument,
        ]),
      ),
      ...['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].flatMap((type) =>
        Object.values(template.findResources(type)).map((p): [string[], Document] => [
          ((p.Properties.Roles ?? []) as unknown[]).map(holder).concat(p.Properties.Roles ? [] : ['(no role)']),
          p.Properties.PolicyDocument,
        ]),
      ),
    ];
    const kmsGrants = documents.flatMap(([holders, document]) =>
      document.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) =>
        [s.Action]
          .flat()
          .filter((action) => action.toLowerCase().startsWith('kms:'))
          .flatMap((action) => holders.map((h) => `${h} ${action} ${JSON.stringify(s.Resource)}`)),
      ),
    );
    const tokenKey = JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stack, app.tokenKey), 'Arn'] });

    expect(kmsGrants.sort()).toEqual([
      `Callback kms:GenerateDataKey ${tokenKey}`,
      `EventWorker kms:Decrypt ${tokenKey}`,
      `SyncWorker kms:Decrypt ${tokenKey}`,
    ]);
  });

  describe('the token key policy', () => {
    interface KeyStatement {
      Effect: string;
      Principal: { AWS: unknown };
      Action: string | string[];
      Condition?: object;
    }
    const keyStatements: KeyStatement[] =
      template.toJSON().Resources[logicalIdOf(stack, app.tokenKey)].Properties.KeyPolicy.Statement;
    const ACCOUNT = 'arn:<AWS::Partition>:iam::<AWS::AccountId>:root';
    // Every way to use the key's material: data keys made, decrypted or re-encrypted, and grants (a grant can hand
    // out any of those without the key policy).
    const KEY_USES = [
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'kms:GenerateDataKeyWithoutPlaintext',
      'kms:GenerateDataKeyPair',
      'kms:GenerateDataKeyPairWithoutPlaintext',
      'kms:ReEncryptFrom',
      'kms:ReEncryptTo',
      'kms:CreateGrant',
    ];
    // IAM matches actions case-insensitively, with * and ? as wildcards.
    const allows = (statement: KeyStatement, action: string) =>
      [statement.Action].flat().some((pattern) => {
        const glob = pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.');
        return new RegExp(`^${glob}$`, 'i').test(action);
      });
    const labelled = (condition: object | undefined) =>
      condition &&
      JSON.parse(
        JSON.stringify(condition, (_key, value) =>
          value && typeof value === 'object' && ('Fn::GetAtt' in value || 'Ref' in value)
            ? render(value, labels)
            : value,
        ),
      );
    const allowed = keyStatements.filter((statement) => statement.Effect === 'Allow');

    it('lets the account administer the key, its policy included, and use it in no way', () => {
      const unconditional = allowed.filter((statement) => !statement.Condition);

      expect(unconditional.map((statement) => render(statement.Principal.AWS))).toEqual([ACCOUNT]);
      expect(KEY_USES.filter((action) => allows(unconditional[0], action))).toEqual([]);
      // Without kms:PutKeyPolicy, AWS refuses the policy: nobody could ever change it again.
      expect(allows(unconditional[0], 'kms:PutKeyPolicy')).toBe(true);
      expect(allows(unconditional[0], 'kms:ScheduleKeyDeletion')).toBe(true);
    });

    it('lets only the callback role generate data keys and only the two workers decrypt them, per PIM host', () => {
      const uses = allowed.flatMap((statement) =>
        KEY_USES.filter((action) => allows(statement, action)).map((action) => ({
          principal: render(statement.Principal.AWS),
          action,
          condition: labelled(statement.Condition),
        })),
      );

      expect(uses.sort((a, b) => a.action.localeCompare(b.action))).toEqual([
        {
          principal: ACCOUNT,
          action: 'kms:Decrypt',
          condition: { ArnEquals: { 'aws:PrincipalArn': '<SyncWorkerRole.Arn>' }, ...PIM_HOST_CONTEXT_ONLY },
        },
        {
          principal: ACCOUNT,
          action: 'kms:Decrypt',
          condition: { ArnEquals: { 'aws:PrincipalArn': '<EventWorkerRole.Arn>' }, ...PIM_HOST_CONTEXT_ONLY },
        },
        {
          principal: ACCOUNT,
          action: 'kms:GenerateDataKey',
          condition: { ArnEquals: { 'aws:PrincipalArn': '<CallbackRole.Arn>' }, ...PIM_HOST_CONTEXT_ONLY },
        },
      ]);
    });
  });
});
