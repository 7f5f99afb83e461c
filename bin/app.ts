#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AkeneoCustomAppStack } from '../lib/akeneo-custom-app-stack';

const app = new App();
// No env: the stack is environment-agnostic, so synth needs neither credentials nor network.
new AkeneoCustomAppStack(app, 'AkeneoCustomApp');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
