import type { Template } from 'aws-cdk-lib/assertions';
import { render } from './render';

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Everything a role is allowed, one line per action and resource (`action resource [if condition]`), from its own
 * inline policies, the AWS::IAM::Policy resources attached to it and any managed policy attached to it.
 */
export function grantsOfRole(template: Template, roleId: string, labels: ReadonlyMap<string, string>): string[] {
  const role = template.findResources('AWS::IAM::Role')[roleId];
  if (!role) throw new Error(`No role ${roleId}`);
  const attached = (type: string) =>
    Object.values(template.findResources(type)).filter((r) =>
      list<unknown>(r.Properties.Roles).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId })),
    );
  const statements: Statement[] = [
    ...list<{ PolicyDocument: { Statement: Statement[] } }>(role.Properties.Policies).flatMap(
      (p) => p.PolicyDocument.Statement,
    ),
    ...[...attached('AWS::IAM::Policy'), ...attached('AWS::IAM::ManagedPolicy')].flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Statement[],
    ),
    ...list<unknown>(role.Properties.ManagedPolicyArns).map(
      (arn): Statement => ({ Effect: 'Allow', Action: `managed-policy:${render(arn, labels)}`, Resource: '' }),
    ),
  ];
  return grantLines(statements, labels);
}

/** One line per allowed action and resource of these statements (`action resource [if condition]`), sorted. */
export function grantLines(statements: readonly Statement[], labels: ReadonlyMap<string, string>): string[] {
  return statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) =>
      list(s.Action).flatMap((action) =>
        list(s.Resource).map((resource) =>
          [action, render(resource, labels), ...(s.Condition ? [`if ${JSON.stringify(s.Condition)}`] : [])].join(' '),
        ),
      ),
    )
    .sort();
}
