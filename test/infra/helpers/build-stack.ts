import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { AkeneoCustomAppProps } from '../../../lib/akeneo-custom-app';
import { AkeneoCustomAppStack } from '../../../lib/akeneo-custom-app-stack';

export interface BuiltStack {
  readonly app: App;
  readonly stack: AkeneoCustomAppStack;
  readonly template: Template;
}

export interface BuildOptions {
  readonly props?: AkeneoCustomAppProps;
  readonly context?: Record<string, unknown>;
  /** Bundle the handlers with esbuild (a few seconds); off for tests that only read the template's shape. */
  readonly bundle?: boolean;
}

/** Builds the stack as `bin/app.ts` does (environment-agnostic), once per test file. */
export function buildStack({ props, context = {}, bundle = true }: BuildOptions = {}): BuiltStack {
  const app = new App({
    context: { ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
    // The built-in CloudFormation rules take seconds per synth; cdk-nag.test.ts runs them, with cdk-nag.
    builtinCloudFormationValidation: false,
  });
  const stack = new AkeneoCustomAppStack(app, 'Test', { app: props });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical id CDK gave a construct's CloudFormation resource, so tests never pin generated ids. */
export function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  const child = construct.node.defaultChild;
  if (!child) throw new Error('The construct has no CloudFormation resource');
  return stack.getLogicalId(child as Parameters<Stack['getLogicalId']>[0]);
}
