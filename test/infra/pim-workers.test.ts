import { App, Duration, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaHandler, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { loadConfig } from '../../functions/config';
import { workerName } from '../../functions/contract/names';
import { PimAccess } from '../../functions/pim-access';
import { awsClients } from '../../functions/wiring/aws-clients';
import { createPimAccess } from '../../functions/wiring/pim-access';
import { AkeneoCustomAppStack } from '../../lib/akeneo-custom-app-stack';
import { buildStack, logicalIdOf } from './helpers/build-stack';
import { render } from './helpers/render';
import { grantsOfRole } from './helpers/role-grants';

const PIM_HOST_CONTEXT_ONLY = {
  'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['pimHost'] },
  Null: { 'kms:EncryptionContextKeys': 'false' },
};
const ENCRYPTION_CONTEXT_IS_PIM_HOST = JSON.stringify(PIM_HOST_CONTEXT_ONLY);

/** Exactly what the entry point to the PIMs calls, and a worker's own logs. */
const pimAccessGrants = (logs: string) => [
  `logs:CreateLogStream <${logs}.Arn>`,
  `logs:PutLogEvents <${logs}.Arn>`,
  'dynamodb:GetItem <ConnectionsTable.Arn>',
  'dynamodb:UpdateItem <ConnectionsTable.Arn>',
  'dynamodb:PutItem <CallSlotsTable.Arn>',
  'dynamodb:DeleteItem <CallSlotsTable.Arn>',
  'dynamodb:Query <CallSlotsTable.Arn>',
  'dynamodb:UpdateItem <CallSlotsTable.Arn>',
  `kms:Decrypt <TokenKey.Arn> if ${ENCRYPTION_CONTEXT_IS_PIM_HOST}`,
];

/** The deployed environment of a function, each reference rendered as `<Label.Attribute>`. */
function environmentOf(template: ReturnType<typeof buildStack>['template'], functionId: string, labels: Labels) {
  const variables = template.findResources('AWS::Lambda::Function')[functionId]?.Properties.Environment.Variables;
  return Object.fromEntries(
    Object.entries(variables as Record<string, unknown>).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : render(value, labels),
    ]),
  );
}

type Labels = ReadonlyMap<string, string>;
function labelsOf(stack: Stack, entries: [string, IConstruct][]): Labels {
  return new Map(entries.map(([label, construct]) => [logicalIdOf(stack, construct as never), label]));
}

describe('the example worker switch (akeneo:exampleWorker)', () => {
  it('is off by default: no worker, no rule on the run events bus, no write scope requested', () => {
    const { stack, template } = buildStack({ bundle: false });

    expect(stack.app.exampleWorkerFunction).toBeUndefined();
    expect(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('example worker') },
      }),
    ).toEqual({});
    expect(Object.keys(template.findResources('AWS::Events::Rule'))).toHaveLength(1);
    expect(JSON.stringify(template.toJSON())).not.toContain('write_products');
  });

  it('refuses a value that is not true or false, naming the key', () => {
    expect(() => buildStack({ bundle: false, context: { 'akeneo:exampleWorker': 'yes' } })).toThrow(
      'akeneo:exampleWorker: use true or false (got "yes").',
    );
  });

  describe('on', () => {
    const { stack, template } = buildStack({ bundle: false, context: { 'akeneo:exampleWorker': 'true' } });
    const app = stack.app;
    const worker = app.exampleWorkerFunction as NonNullable<typeof app.exampleWorkerFunction>;
    const labels = labelsOf(stack, [
      ['ConnectionsTable', app.connectionsTable],
      ['CallSlotsTable', app.callSlotsTable],
      ['TokenKey', app.tokenKey],
      ['NameWithSkuLogs', worker.logGroup],
      ['NameWithSkuRole', worker.role as IConstruct],
      ['NameWithSkuFunction', worker],
      ['RunEventsBus', app.runEventsBus],
      ['AlarmTopic', app.alarmTopic],
    ]);

    it("gives the worker exactly the entry point's calls, and nothing else", () => {
      const grants = grantsOfRole(template, logicalIdOf(stack, worker.role as IConstruct), labels);

      expect(grants).toEqual(pimAccessGrants('NameWithSkuLogs').sort());
    });

    it("names the worker's role in the token key's policy: decrypt only, for one PIM host at a time", () => {
      const statements: Array<{ Action: string; Condition?: object }> =
        template.toJSON().Resources[logicalIdOf(stack, app.tokenKey)].Properties.KeyPolicy.Statement;

      const forWorker = statements.filter((statement) =>
        JSON.stringify(statement.Condition ?? {}).includes(logicalIdOf(stack, worker.role as IConstruct)),
      );

      expect(forWorker).toHaveLength(1);
      expect(forWorker[0]?.Action).toBe('kms:Decrypt');
      expect(
        JSON.parse(JSON.stringify(forWorker[0]?.Condition), (_key, value) =>
          value && typeof value === 'object' && 'Fn::GetAtt' in value ? render(value, labels) : value,
        ),
      ).toEqual({ ArnEquals: { 'aws:PrincipalArn': '<NameWithSkuRole.Arn>' }, ...PIM_HOST_CONTEXT_ONLY });
    });

    it("gives the worker the entry point's settings through the contract, and the entry point starts on them", () => {
      const environment = environmentOf(template, logicalIdOf(stack, worker), labels);

      expect(environment).toEqual({
        APP_MODE: 'aws',
        POWERTOOLS_SERVICE_NAME: 'akeneo-custom-app',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        CONNECTIONS_TABLE_NAME: '<ConnectionsTable>',
        CALL_SLOTS_TABLE_NAME: '<CallSlotsTable>',
        TOKEN_KMS_KEY_ID: '<TokenKey.Arn>',
      });
      expect(createPimAccess(loadConfig(environment), awsClients(workerName('name-with-sku')))).toBeInstanceOf(
        PimAccess,
      );
    });

    it('starts the worker on each Sync Run Completed event of the app’s bus, with retries', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: { Ref: logicalIdOf(stack, app.runEventsBus) },
        EventPattern: { source: ['akeneo-custom-app'], 'detail-type': ['Sync Run Completed'] },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [logicalIdOf(stack, worker), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 2 },
          }),
        ],
      });
    });

    it('watches the worker’s errors and throttles, by its name, on the alarm topic', () => {
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
        .map((alarm) => alarm.Properties)
        .filter((alarm) => JSON.stringify(alarm.Dimensions ?? []).includes(logicalIdOf(stack, worker)));

      expect(alarms.map((alarm) => [alarm.MetricName, alarm.AlarmDescription]).sort()).toEqual([
        ['Errors', 'The NameWithSku function failed (crash or timeout)'],
        ['Throttles', 'The NameWithSku function was throttled (concurrency limit reached)'],
      ]);
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: logicalIdOf(stack, app.alarmTopic) }]);
    });

    it('requests write_products at activation, beside the default scopes', () => {
      const activate = template.findResources('AWS::Lambda::Function')[logicalIdOf(stack, app.activateFunction)];

      expect(activate?.Properties.Environment.Variables.APP_SCOPES.split(' ')).toContain('write_products');
    });
  });
});

describe("grantPimAccess, for an integrator's own function", () => {
  const cdkApp = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new AkeneoCustomAppStack(cdkApp, 'Test');
  const app = stack.app;
  const priceFeed = new LambdaHandler(stack, 'PriceFeed', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => {};'),
    timeout: Duration.seconds(30),
  });
  app.grantPimAccess(priceFeed, { name: workerName('price-feed') });
  const template = Template.fromStack(stack);
  const labels = labelsOf(stack, [
    ['ConnectionsTable', app.connectionsTable],
    ['CallSlotsTable', app.callSlotsTable],
    ['TokenKey', app.tokenKey],
  ]);

  it("adds the entry point's grants, its settings and the alarms to the function", () => {
    const grants = grantsOfRole(template, logicalIdOf(stack, priceFeed.role as IConstruct), labels);

    // Its logs are its own business (here CDK's default role and managed policy).
    const own = (line: string) => line.startsWith('logs:') || line.startsWith('managed-policy:');
    expect(grants.filter((line) => !own(line))).toEqual(
      pimAccessGrants('unused')
        .filter((line) => !line.startsWith('logs:'))
        .sort(),
    );
    expect(environmentOf(template, logicalIdOf(stack, priceFeed), labels)).toEqual({
      APP_MODE: 'aws',
      POWERTOOLS_SERVICE_NAME: 'akeneo-custom-app',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      CONNECTIONS_TABLE_NAME: '<ConnectionsTable>',
      CALL_SLOTS_TABLE_NAME: '<CallSlotsTable>',
      TOKEN_KMS_KEY_ID: '<TokenKey.Arn>',
    });
    const descriptions = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties.AlarmDescription,
    );
    expect(descriptions).toEqual(
      expect.arrayContaining([
        'The PriceFeed function failed (crash or timeout)',
        'The PriceFeed function was throttled (concurrency limit reached)',
      ]),
    );
  });
});
