import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { EVENT_PLATFORM_SECRET_SUFFIX } from '../../functions/contract/names';

/**
 * ARN pattern of every PIM's credentials secret. Ops register one secret per PIM after deploy, so the names are
 * not known here; the trailing `*` also covers the random suffix Secrets Manager appends to each ARN.
 */
export function credentialsSecretArns(scope: IConstruct, prefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${prefix}/*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The cdk-nag finding id of a wildcard on that pattern, as cdk-nag renders the ARN. */
export function credentialsWildcardFinding(prefix: string): string {
  return `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${prefix}/*]`;
}

/** Read the credentials of any registered PIM, and nothing else in Secrets Manager. */
export function grantReadCredentials(grantee: IGrantable, scope: IConstruct, prefix: string): Grant {
  return Grant.addToPrincipal({
    grantee,
    actions: ['secretsmanager:GetSecretValue'],
    resourceArns: [credentialsSecretArns(scope, prefix)],
  });
}

/**
 * ARN pattern of every PIM's Event Platform secret, `<prefix>/<pim host key>/event-platform` (the name is
 * `eventPlatformSecretNameFor`'s); the trailing `*` is the random suffix Secrets Manager appends to each ARN.
 */
export function eventPlatformSecretArns(scope: IConstruct, prefix: string): string {
  return Stack.of(scope).formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${prefix}/*/${EVENT_PLATFORM_SECRET_SUFFIX}*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The cdk-nag finding id of a wildcard on that pattern, as cdk-nag renders the ARN. */
export function eventPlatformSecretsWildcardFinding(prefix: string): string {
  return `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${prefix}/*/${EVENT_PLATFORM_SECRET_SUFFIX}*]`;
}

/**
 * Create a PIM's Event Platform secrets the first time it subscribes (reading them is already granted with the
 * credentials, under the same prefix), and nothing else.
 */
export function grantCreateEventPlatformSecrets(grantee: IGrantable, scope: IConstruct, prefix: string): Grant {
  return Grant.addToPrincipal({
    grantee,
    actions: ['secretsmanager:CreateSecret'],
    resourceArns: [eventPlatformSecretArns(scope, prefix)],
  });
}
