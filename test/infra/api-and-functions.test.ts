import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { buildStack, logicalIdOf } from './helpers/build-stack';

const { app: cdkApp, stack, template } = buildStack();
const app = stack.app;
const functions = template.findResources('AWS::Lambda::Function');
const propertiesOf = (fn: NodejsFunction) => functions[logicalIdOf(stack, fn)].Properties;
const SECRET_PREFIX = 'akeneo-custom-app/pims';

describe('HTTP API', () => {
  it("has GET /, GET /activate, GET /callback and the Event Platform's two POST webhooks, each on its own function, and nothing else", () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => {
      const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref;
      const functionId = integrations[integrationId].Properties.IntegrationUri['Fn::GetAtt'][0];
      return [route.Properties.RouteKey, functionId];
    });

    expect(routes.sort()).toEqual(
      [
        ['GET /', logicalIdOf(stack, app.landingFunction)],
        ['GET /activate', logicalIdOf(stack, app.activateFunction)],
        ['GET /callback', logicalIdOf(stack, app.callbackFunction)],
        ['POST /events/{pimHostKey}', logicalIdOf(stack, app.eventsWebhookFunction)],
        ['POST /event-notifications/{pimHostKey}', logicalIdOf(stack, app.eventNotificationsWebhookFunction)],
      ].sort(),
    );
    template.allResourcesProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });

  it('throttles the default stage and logs each request without its query string', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logicalIdOf(stack, app.endpoint.accessLogs), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
    });
    const format: string = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0].Properties
      .AccessLogSettings.Format;
    expect(format).not.toMatch(/\$context\.(path|requestOverride|querystring)|\$request\.querystring/i);
  });

  it("throttles the Event Platform's webhooks on their own routes: a 429 slows the platform, never suspends it", () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: {
        'POST /events/{pimHostKey}': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        'POST /event-notifications/{pimHostKey}': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      },
    });
  });

  it('keeps every log group, access logs included, for the configured retention: 30 days by default', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 9);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });

    const configured = buildStack({ bundle: false, props: { logRetention: RetentionDays.ONE_WEEK } }).template;

    configured.resourceCountIs('AWS::Logs::LogGroup', 9);
    configured.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });
});

describe('Functions', () => {
  it('run on the newest Node.js runtime, on ARM64, with their own log group', () => {
    const all = [
      app.landingFunction,
      app.activateFunction,
      app.callbackFunction,
      app.syncDispatchFunction,
      app.syncWorkerFunction,
      app.eventsWebhookFunction,
      app.eventNotificationsWebhookFunction,
      app.eventWorkerFunction,
    ];
    template.resourceCountIs('AWS::Lambda::Function', all.length);
    for (const fn of all) {
      expect(propertiesOf(fn)).toEqual(
        expect.objectContaining({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          LoggingConfig: { LogGroup: { Ref: logicalIdOf(stack, fn.logGroup) } },
        }),
      );
    }
  });

  it('size memory and timeout for the 30-second code window', () => {
    const sizing = (fn: NodejsFunction) => [propertiesOf(fn).MemorySize, propertiesOf(fn).Timeout];

    expect(sizing(app.callbackFunction)).toEqual([512, 15]);
    expect(sizing(app.activateFunction)).toEqual([256, 10]);
    expect(sizing(app.landingFunction)).toEqual([256, 3]);
  });

  it('get exactly the settings their code reads, as names and references', () => {
    const env = (fn: NodejsFunction) => propertiesOf(fn).Environment.Variables;
    const common = {
      APP_MODE: 'aws',
      POWERTOOLS_SERVICE_NAME: 'akeneo-custom-app',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    const credentials = {
      APP_SCOPES:
        'read_products read_catalog_structure read_channel_settings read_channel_localization ' +
        'read_attribute_options read_categories openid email profile',
      STATES_TABLE_NAME: { Ref: logicalIdOf(stack, app.statesTable) },
      CREDENTIALS_SECRET_PREFIX: SECRET_PREFIX,
      CREDENTIALS_MAX_AGE_SECONDS: '60',
    };

    expect(env(app.landingFunction)).toEqual(common);
    expect(env(app.activateFunction)).toEqual({ ...common, ...credentials });
    expect(env(app.callbackFunction)).toEqual({
      ...common,
      ...credentials,
      CONNECTIONS_TABLE_NAME: { Ref: logicalIdOf(stack, app.connectionsTable) },
      TOKEN_KMS_KEY_ID: { 'Fn::GetAtt': [logicalIdOf(stack, app.tokenKey), 'Arn'] },
      PRODUCT_SOURCE: 'products',
      CATALOG_NAME: 'akeneo-custom-app',
      CALL_SLOTS_TABLE_NAME: { Ref: logicalIdOf(stack, app.callSlotsTable) },
      APP_PUBLIC_URL: expect.objectContaining({ 'Fn::Join': expect.anything() }),
      SYNC_SCHEDULE_MINUTES: '15',
    });
  });

  it('are bundled and minified with the AWS SDK in, from its ES modules, and source maps beside them', () => {
    const outdir = cdkApp.synth().directory;
    const bundled = new Map<NodejsFunction, { code: string; sources: string[] }>();
    const bundle = (fn: NodejsFunction) => {
      const key: string = propertiesOf(fn).Code.S3Key;
      const dir = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
      const code = readFileSync(path.join(dir, 'index.js'), 'utf8');
      const { sources } = JSON.parse(readFileSync(path.join(dir, 'index.js.map'), 'utf8')) as { sources: string[] };
      bundled.set(fn, { code, sources });
      return { code, sources };
    };
    // The SDK clients compiled into the bundle, as its source map lists their files.
    const sdkClients = ({ sources }: { sources: string[] }) =>
      [
        ...new Set(
          sources.flatMap((source) => source.match(/node_modules\/(@aws-sdk\/(?:client|lib)-[a-z0-9-]+)\//)?.[1] ?? []),
        ),
      ].sort();

    const dynamodb = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];
    // Exactly the clients each function uses: every other one would be loaded at cold start for nothing.
    expect(sdkClients(bundle(app.landingFunction))).toEqual([]);
    expect(sdkClients(bundle(app.activateFunction))).toEqual([...dynamodb, '@aws-sdk/client-secrets-manager'].sort());
    expect(sdkClients(bundle(app.callbackFunction))).toEqual(
      [...dynamodb, '@aws-sdk/client-kms', '@aws-sdk/client-secrets-manager'].sort(),
    );
    expect(sdkClients(bundle(app.syncDispatchFunction))).toEqual([...dynamodb, '@aws-sdk/client-sqs'].sort());
    expect(sdkClients(bundle(app.syncWorkerFunction))).toEqual(
      [
        ...dynamodb,
        '@aws-sdk/client-eventbridge',
        '@aws-sdk/client-kms',
        '@aws-sdk/client-s3',
        '@aws-sdk/client-sqs',
      ].sort(),
    );
    for (const [fn, { code, sources }] of bundled) {
      // Nothing left for the runtime's copy of the SDK to provide: one file to load, tree-shaken.
      // (But the optional CRT signer, which S3 tries in a try/catch for multi-region access points only.)
      const requires = (code.match(/require\("@aws-sdk\/[^"]+"\)/g) ?? []).filter(
        (call) => call !== 'require("@aws-sdk/signature-v4-crt")',
      );
      expect({ fn: fn.node.path, requires }).toEqual({
        fn: fn.node.path,
        requires: [],
      });
      // `module` before `main`: the SDK's ES modules (which esbuild can tree-shake), not its CommonJS build.
      const sdkFiles = sources.filter((source) => /node_modules\/@aws-sdk\/client-/.test(source));
      expect(sdkFiles.filter((source) => source.includes('/dist-cjs/'))).toEqual([]);
      if (sdkClients({ sources }).length > 0)
        expect(sdkFiles.some((source) => source.includes('/dist-es/'))).toBe(true);
    }
  });

  it('keep the names of classes through minification: an error is named after its class', () => {
    const quotedErrorNames = (fn: NodejsFunction) => {
      const key: string = propertiesOf(fn).Code.S3Key;
      const dir = path.join(cdkApp.synth().directory, `asset.${key.replace(/\.zip$/, '')}`);
      return readFileSync(path.join(dir, 'index.js'), 'utf8').match(/"\w+Error"/g) ?? [];
    };

    expect(quotedErrorNames(app.callbackFunction)).toContain('"PimRejectedCredentialsError"');
    expect(quotedErrorNames(app.syncWorkerFunction)).toContain('"PimUnavailableError"');
  });
});

describe('Secrets', () => {
  it('never puts a secret in the template: no secret resource, value or secret-looking setting', () => {
    const json = JSON.stringify(template.toJSON());
    const settingNames = Object.values(functions).flatMap((fn) => Object.keys(fn.Properties.Environment.Variables));

    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(json).not.toMatch(/SecretString|client_?secret|access_token|password/i);
    expect([...new Set(settingNames.filter((name) => /SECRET|TOKEN|PASSWORD|KEY/.test(name)))].sort()).toEqual([
      'CREDENTIALS_SECRET_PREFIX',
      'TOKEN_KMS_KEY_ID',
    ]);
  });
});
