import type { IConstruct } from 'constructs';
import { buildStack, logicalIdOf } from './helpers/build-stack';
import { grantsOfRole } from './helpers/role-grants';

const { stack, template } = buildStack();
const app = stack.app;

const labels = new Map<string, string>(
  (
    [
      ['StatesTable', app.statesTable],
      ['ConnectionsTable', app.connectionsTable],
      ['TokenKey', app.tokenKey],
      ['LandingLogs', app.landingFunction.logGroup],
      ['ActivateLogs', app.activateFunction.logGroup],
      ['CallbackLogs', app.callbackFunction.logGroup],
    ] as [string, IConstruct][]
  ).map(([label, construct]) => [logicalIdOf(stack, construct), label]),
);

function grantsOf(fn: typeof app.landingFunction): string[] {
  if (!fn.role) throw new Error('The function has no role');
  return grantsOfRole(template, logicalIdOf(stack, fn.role), labels);
}

const SECRETS = 'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:akeneo-custom-app/pims/*';
const ENCRYPTION_CONTEXT_IS_PIM_HOST = JSON.stringify({
  'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['pimHost'] },
  Null: { 'kms:EncryptionContextKeys': 'false' },
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

  it('lets callback consume states, read credentials, encrypt for one PIM and write connections', () => {
    expect(grantsOf(app.callbackFunction)).toEqual(
      [
        ...logs('CallbackLogs'),
        'dynamodb:GetItem <StatesTable.Arn>',
        'dynamodb:UpdateItem <StatesTable.Arn>',
        'dynamodb:GetItem <ConnectionsTable.Arn>',
        'dynamodb:UpdateItem <ConnectionsTable.Arn>',
        `secretsmanager:GetSecretValue ${SECRETS}`,
        `kms:GenerateDataKey <TokenKey.Arn> if ${ENCRYPTION_CONTEXT_IS_PIM_HOST}`,
      ].sort(),
    );
  });

  it('gives the ops CLI its policy, attached to no role', () => {
    const policy = template.findResources('AWS::IAM::ManagedPolicy')[logicalIdOf(stack, app.opsPolicy)];
    const statements = policy.Properties.PolicyDocument.Statement;

    expect(policy.Properties.Roles ?? policy.Properties.Users ?? policy.Properties.Groups).toBeUndefined();
    expect(statements).toEqual([
      {
        Sid: 'ManagePimCredentials',
        Effect: 'Allow',
        Action: [
          'secretsmanager:CreateSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:DeleteSecret',
          'secretsmanager:ListSecretVersionIds',
          'secretsmanager:TagResource',
        ],
        Resource: expect.anything(),
      },
      { Sid: 'ListPimCredentials', Effect: 'Allow', Action: 'secretsmanager:ListSecrets', Resource: '*' },
      {
        Sid: 'ReadConnections',
        Effect: 'Allow',
        Action: ['dynamodb:Scan', 'dynamodb:GetItem'],
        Resource: { 'Fn::GetAtt': [logicalIdOf(stack, app.connectionsTable), 'Arn'] },
      },
    ]);
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

  it("lets no role decrypt tokens yet: the only KMS action is the callback's GenerateDataKey", () => {
    const kmsActions = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].flatMap((type) =>
      Object.values(template.findResources(type)).flatMap((p) =>
        p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => s.Action),
      ),
    );

    expect(kmsActions.filter((a: string) => a.startsWith('kms:'))).toEqual(['kms:GenerateDataKey']);
  });
});
