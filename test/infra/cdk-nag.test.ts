import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AkeneoCustomAppStack } from '../../lib/akeneo-custom-app-stack';

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing left unacknowledged, with or without a custom domain, retained or throwaway, with the example worker', () => {
    // Bundling is skipped: the checks read the template, not the code.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    new AkeneoCustomAppStack(app, 'Default');
    new AkeneoCustomAppStack(app, 'CustomDomain', {
      app: {
        customDomain: {
          domainName: 'akeneo-app.example.com',
          certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
        },
      },
    });
    new AkeneoCustomAppStack(app, 'Throwaway', { app: { dataRemovalPolicy: RemovalPolicy.DESTROY } });
    new AkeneoCustomAppStack(app, 'ExampleWorker', { app: { exampleWorker: true } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    const assembly = app.synth();

    const report = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });
});
