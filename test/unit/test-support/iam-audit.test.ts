import { auditStack, withoutGrant } from '../../support/iam-audit/audit';
import {
  assertEvaluable,
  authorize,
  type PolicyStatement,
  type ResourcePolicy,
} from '../../support/iam-audit/policy-evaluator';
import { type CfnTemplate, StandInNames } from '../../support/iam-audit/stand-in-names';
import { type AuthorizationRequest, type RecordedCall, recordedCall } from '../../support/iam-audit/wire-calls';

const ROLE = 'arn:aws:iam::123456789012:role/Worker';
const principal = { roleArn: ROLE, account: '123456789012' };
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/k';
const PIM_HOST_ONLY = {
  'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['pimHost'] },
  Null: { 'kms:EncryptionContextKeys': 'false' },
};
const decrypt = (context: Record<string, string>): AuthorizationRequest => ({
  action: 'kms:Decrypt',
  resource: KEY,
  context: {
    ...(Object.keys(context).length > 0 ? { 'kms:EncryptionContextKeys': Object.keys(context) } : {}),
    ...Object.fromEntries(Object.entries(context).map(([key, value]) => [`kms:EncryptionContext:${key}`, value])),
  },
});
const allowDecrypt: PolicyStatement = {
  Effect: 'Allow',
  Action: 'kms:Decrypt',
  Resource: KEY,
  Condition: PIM_HOST_ONLY,
};
const keyPolicy = (statements: PolicyStatement[]): ResourcePolicy => ({
  name: 'the key policy',
  arn: KEY,
  statements,
  decidesAccess: true,
});
const ACCOUNT_ROOT = { AWS: 'arn:aws:iam::123456789012:root' };
const delegateDecrypt: PolicyStatement = {
  Effect: 'Allow',
  Principal: ACCOUNT_ROOT,
  Action: 'kms:Decrypt',
  Resource: '*',
  Condition: { ArnEquals: { 'aws:PrincipalArn': ROLE }, ...PIM_HOST_ONLY },
};

describe('the IAM audit: policy evaluation', () => {
  it('allows a KMS call only with exactly the pimHost encryption context, as ForAllValues with Null=false says', () => {
    const policy = keyPolicy([delegateDecrypt]);
    const decide = (context: Record<string, string>) =>
      authorize(decrypt(context), principal, [allowDecrypt], policy).allowed;

    expect(decide({ pimHost: 'pim.example.com' })).toBe(true);
    expect(decide({})).toBe(false);
    expect(decide({ pimHost: 'pim.example.com', other: 'x' })).toBe(false);
    expect(decide({ tenant: 'x' })).toBe(false);
  });

  it('needs both halves when the key policy delegates to the account: the key policy and the role policy', () => {
    const request = decrypt({ pimHost: 'pim.example.com' });

    expect(authorize(request, principal, [], keyPolicy([delegateDecrypt]))).toEqual({
      allowed: false,
      reason: "the key policy leaves it to IAM, and no statement of the role's policies allows it",
    });
    expect(authorize(request, principal, [allowDecrypt], keyPolicy([])).allowed).toBe(false);
    const otherRole = { ...principal, roleArn: 'arn:aws:iam::123456789012:role/Callback' };
    expect(authorize(request, otherRole, [allowDecrypt], keyPolicy([delegateDecrypt])).allowed).toBe(false);
    const namingTheRole: PolicyStatement = { ...delegateDecrypt, Principal: { AWS: ROLE }, Condition: PIM_HOST_ONLY };
    expect(authorize(request, principal, [], keyPolicy([namingTheRole])).allowed).toBe(true);
  });

  it('lets an explicit Deny win, such as a TLS-only queue policy, and matches actions and ARNs with wildcards', () => {
    const queue = 'arn:aws:sqs:us-east-1:123456789012:sync.fifo';
    const send: AuthorizationRequest = { action: 'sqs:SendMessage', resource: queue, context: {} };
    const allow: PolicyStatement = { Effect: 'Allow', Action: 'SQS:Send*', Resource: 'arn:aws:sqs:*:123456789012:*' };
    const tlsOnly = (secure: string): ResourcePolicy => ({
      name: 'the queue policy',
      arn: queue,
      decidesAccess: false,
      statements: [
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'sqs:*',
          Resource: queue,
          Condition: { Bool: { 'aws:SecureTransport': secure } },
        },
      ],
    });

    expect(authorize(send, principal, [allow], tlsOnly('false')).allowed).toBe(true);
    expect(authorize(send, principal, [allow], tlsOnly('true'))).toEqual({
      allowed: false,
      reason: 'explicitly denied by "Deny sqs:*"',
    });
    expect(authorize({ ...send, action: 'sqs:ReceiveMessage' }, principal, [allow], undefined).allowed).toBe(false);
  });

  it("allows a PutEvents entry only on the granted bus, with the grant's source and detail-type", () => {
    const BUS = 'arn:aws:events:us-east-1:123456789012:event-bus/runs';
    const allowOwnEvents: PolicyStatement = {
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Resource: BUS,
      Condition: { StringEquals: { 'events:source': 'akeneo-custom-app', 'events:detail-type': 'Sync Run Completed' } },
    };
    const put = (resource: string, source: string, detailType = 'Sync Run Completed') =>
      authorize(
        {
          action: 'events:PutEvents',
          resource,
          context: { 'events:source': source, 'events:detail-type': detailType },
        },
        principal,
        [allowOwnEvents],
        undefined,
      ).allowed;

    expect(() => assertEvaluable(allowOwnEvents, 'the worker policy')).not.toThrow();
    expect(put(BUS, 'akeneo-custom-app')).toBe(true);
    expect(put(BUS, 'aws.s3')).toBe(false);
    expect(put(BUS, 'akeneo-custom-app', 'Something Else')).toBe(false);
    expect(put('arn:aws:events:us-east-1:123456789012:event-bus/default', 'akeneo-custom-app')).toBe(false);
  });

  it('refuses to evaluate what it does not implement rather than guess', () => {
    const base: PolicyStatement = { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY };

    expect(() =>
      assertEvaluable({ ...base, Condition: { StringEqualsIfExists: { 'aws:PrincipalArn': ROLE } } }, 's'),
    ).toThrow(/operator StringEqualsIfExists is not supported/);
    expect(() => assertEvaluable({ ...base, Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } }, 's')).toThrow(
      /condition key aws:SourceVpc is not known/,
    );
    expect(() => assertEvaluable({ ...base, NotAction: 'kms:Encrypt' }, 's')).toThrow(/NotAction/);
    const plainOperatorOnAList: PolicyStatement = {
      ...base,
      Condition: { StringEquals: { 'kms:EncryptionContextKeys': 'pimHost' } },
    };
    expect(() => authorize(decrypt({ pimHost: 'h' }), principal, [plainOperatorOnAList], undefined)).toThrow(
      /needs ForAllValues or ForAnyValue/,
    );
  });
});

describe('the IAM audit: reading requests on the wire', () => {
  const wire = (headers: Record<string, string>, body: unknown, method = 'POST', url = '/') => ({
    method,
    url,
    headers: { 'user-agent': 'aws-sdk-js/3 api/x akeneo-custom-app/sync-worker', ...headers },
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  });

  it('reads the action, the resource and the calling function the way IAM and CloudTrail see them', () => {
    const query = recordedCall(
      'dynamodb',
      wire({ 'x-amz-target': 'DynamoDB_20120810.Query' }, { TableName: 'connections', IndexName: 'status-index' }),
    );
    const batch = recordedCall(
      'sqs',
      wire({ 'x-amz-target': 'AmazonSQS.SendMessageBatch' }, { QueueUrl: 'http://127.0.0.1:1/123456789012/q.fifo' }),
    );
    const transaction = recordedCall(
      'dynamodb',
      wire(
        { 'x-amz-target': 'DynamoDB_20120810.TransactWriteItems' },
        { TransactItems: [{ Put: { TableName: 'a' } }, { ConditionCheck: { TableName: 'b' } }] },
      ),
    );
    const put = recordedCall(
      's3',
      wire({}, 'x', 'PUT', '/exports/pim_8443/products/r/part-00001.ndjson?x-id=PutObject'),
    );
    const generate = recordedCall(
      'kms',
      wire({ 'x-amz-target': 'TrentService.GenerateDataKey' }, { KeyId: KEY, EncryptionContext: { pimHost: 'h' } }),
    );

    expect(query).toMatchObject({
      caller: 'sync-worker',
      operation: 'Query',
      requests: [
        { action: 'dynamodb:Query', resource: expect.stringMatching(/:table\/connections\/index\/status-index$/) },
      ],
    });
    expect(batch.requests.map((r) => `${r.action} ${r.resource}`)).toEqual([
      'sqs:SendMessage arn:aws:sqs:us-east-1:123456789012:q.fifo',
    ]);
    expect(transaction.requests.map((r) => r.action)).toEqual(['dynamodb:PutItem', 'dynamodb:ConditionCheckItem']);
    expect(put.requests).toEqual([
      {
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::exports/pim_8443/products/r/part-00001.ndjson',
        context: { 's3:TlsVersion': '1.2' },
      },
    ]);
    expect(generate.requests[0].context).toEqual({
      'kms:EncryptionContextKeys': ['pimHost'],
      'kms:EncryptionContext:pimHost': 'h',
    });
  });

  it('reads each PutEvents entry as IAM authorizes it: on its bus (by name, ARN, or the default), with its source and detail-type', () => {
    const put = recordedCall(
      'events',
      wire(
        { 'x-amz-target': 'AWSEvents.PutEvents' },
        {
          Entries: [
            { EventBusName: 'runs', Source: 'akeneo-custom-app', DetailType: 'Sync Run Completed', Detail: '{}' },
            { EventBusName: 'arn:aws:events:eu-west-1:210987654321:event-bus/other', Source: 's', DetailType: 'd' },
            { Source: 's', DetailType: 'd', Detail: '{}' },
          ],
        },
      ),
    );

    expect(put).toMatchObject({ caller: 'sync-worker', operation: 'PutEvents' });
    expect(put.requests).toEqual([
      {
        action: 'events:PutEvents',
        resource: 'arn:aws:events:us-east-1:123456789012:event-bus/runs',
        context: { 'events:source': 'akeneo-custom-app', 'events:detail-type': 'Sync Run Completed' },
      },
      {
        action: 'events:PutEvents',
        resource: 'arn:aws:events:eu-west-1:210987654321:event-bus/other',
        context: { 'events:source': 's', 'events:detail-type': 'd' },
      },
      {
        action: 'events:PutEvents',
        resource: 'arn:aws:events:us-east-1:123456789012:event-bus/default',
        context: { 'events:source': 's', 'events:detail-type': 'd' },
      },
    ]);
  });

  it('marks a call it cannot read, or one without the function in its user agent', () => {
    const copy = recordedCall('s3', wire({ 'x-amz-copy-source': '/a/b' }, '', 'PUT', '/exports/key'));
    const anonymous = recordedCall('kms', {
      ...wire({ 'x-amz-target': 'TrentService.Decrypt' }, { KeyId: KEY }),
      headers: { 'user-agent': 'aws-sdk-js/3', 'x-amz-target': 'TrentService.Decrypt' },
    });

    expect(copy.problem).toMatch(/S3 CopyObject: not an operation the audit knows/);
    expect(anonymous).toMatchObject({ caller: undefined, operation: 'Decrypt' });
  });
});

describe('the IAM audit: a template, its calls and its grants', () => {
  const template: CfnTemplate = {
    Resources: {
      Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: {} },
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'Role' }],
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: { 'Fn::GetAtt': ['Logs', 'Arn'] },
              },
              {
                Effect: 'Allow',
                Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
                Resource: [
                  { 'Fn::GetAtt': ['Table', 'Arn'] },
                  { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Table', 'Arn'] }, '/index/*']] },
                ],
              },
            ],
          },
        },
      },
      Function: {
        Type: 'AWS::Lambda::Function',
        Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, LoggingConfig: { LogGroup: { Ref: 'Logs' } } },
      },
    },
  };
  const names = new StandInNames(template, { tableSuffix: 't', sqsEndpoint: 'http://127.0.0.1:1' });
  const table = names.attribute('Table', 'Arn');
  const call = (action: string, caller = 'fn'): RecordedCall => ({
    caller,
    service: 'dynamodb',
    operation: action,
    requests: [{ action: `dynamodb:${action}`, resource: table, context: {} }],
  });
  const audit = (calls: RecordedCall[], from = template) =>
    auditStack({ template: from, names, functions: [{ name: 'fn', functionLogicalId: 'Function' }], calls }).problems;

  it('lists every grant no call used, every call no statement allows, and every call of no known function', () => {
    expect(
      audit([call('GetItem'), call('UpdateItem'), { ...call('GetItem'), caller: undefined }, call('GetItem', 'other')]),
    ).toEqual([
      expect.stringMatching(/^unattributed call: dynamodb GetItem on .*Table-t \(its user agent names no function/),
      expect.stringMatching(/^call from other, a function not in the audit/),
      expect.stringMatching(
        /^fn: dynamodb:UpdateItem on .*Table-t \(its UpdateItem call\) would be AccessDenied on AWS/,
      ),
      expect.stringMatching(
        /^fn: AWS::IAM::Policy Policy, statement 1 grants dynamodb:GetItem on .*Table-t\/index\/\*, which no call used/,
      ),
      expect.stringMatching(/grants dynamodb:PutItem on .*Table-t, which no call used/),
      expect.stringMatching(/grants dynamodb:PutItem on .*Table-t\/index\/\*, which no call used/),
    ]);
  });

  it('counts the log writes of the Lambda service as calls made for the function, so its logs grant is used', () => {
    const report = auditStack({
      template,
      names,
      functions: [{ name: 'fn', functionLogicalId: 'Function' }],
      calls: [],
    });

    expect(report.checked.get('fn')).toEqual([
      expect.stringMatching(/^logs:CreateLogStream on arn:aws:logs:.*:log-group:\/aws\/lambda\/Logs:log-stream:/),
      expect.stringMatching(/^logs:PutLogEvents on /),
    ]);
    expect(report.problems.filter((problem) => problem.includes('logs:'))).toEqual([]);
  });

  it('takes exactly one action on one resource out of a copy of the template', () => {
    const { grants } = auditStack({
      template,
      names,
      functions: [{ name: 'fn', functionLogicalId: 'Function' }],
      calls: [],
    });
    const putOnIndexes = grants.find(
      (grant) => grant.action === 'dynamodb:PutItem' && grant.resource.endsWith('/index/*'),
    );
    if (!putOnIndexes) throw new Error('no such grant');

    const mutated = withoutGrant(template, putOnIndexes);

    const statements = (mutated.Resources.Policy.Properties as { PolicyDocument: { Statement: unknown[] } })
      .PolicyDocument.Statement;
    expect(statements.slice(1)).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem'],
        Resource: [
          { 'Fn::GetAtt': ['Table', 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Table', 'Arn'] }, '/index/*']] },
        ],
      },
      { Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: [{ 'Fn::GetAtt': ['Table', 'Arn'] }] },
    ]);
    expect(audit([call('GetItem'), call('PutItem')], mutated)).toEqual([
      expect.stringMatching(/grants dynamodb:GetItem on .*\/index\/\*, which no call used/),
    ]);
  });

  it('throws on a reference it has no stand-in for, rather than leave it unresolved', () => {
    expect(() => names.resolve({ 'Fn::GetAtt': ['Table', 'StreamArn'] })).toThrow(
      /No stand-in value for Table.StreamArn/,
    );
    expect(() => names.resolve({ 'Fn::ImportValue': 'x' })).toThrow(/cannot resolve Fn::ImportValue/);
  });
});
