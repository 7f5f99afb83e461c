import { Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { credentialsSecretArns, credentialsWildcardFinding } from './credentials-access';

export interface OpsPolicyProps {
  readonly secretNamePrefix: string;
  readonly connections: ITable;
}

/**
 * Exactly the AWS calls the ops CLI makes (test/infra/least-privilege.test.ts reads them from its code): register,
 * rotate, list and remove PIM credentials under the prefix, scan connections for `status`, and read this stack's
 * outputs for `--stack`. Attach it to the ops users or roles; no function role has it.
 */
export class OpsPolicy extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: OpsPolicyProps) {
    super(scope, id);
    this.policy = new ManagedPolicy(this, 'Policy', {
      // Kept as first deployed: a new description replaces the policy, and ops' attachments with it.
      description: 'Akeneo custom app ops CLI: manage PIM credentials secrets and read connection status',
      statements: [
        new PolicyStatement({
          sid: 'ManagePimCredentials',
          actions: [
            'secretsmanager:CreateSecret',
            'secretsmanager:PutSecretValue',
            'secretsmanager:DescribeSecret',
            'secretsmanager:GetSecretValue',
            'secretsmanager:DeleteSecret',
            // CreateSecret tags each secret with its PIM URL; IAM authorizes the tags as TagResource.
            'secretsmanager:TagResource',
          ],
          resources: [credentialsSecretArns(this, props.secretNamePrefix)],
        }),
        new PolicyStatement({
          sid: 'ListPimCredentials',
          actions: ['secretsmanager:ListSecrets'],
          resources: ['*'],
        }),
        new PolicyStatement({
          sid: 'ReadConnections',
          actions: ['dynamodb:Scan'],
          resources: [props.connections.tableArn],
        }),
        new PolicyStatement({
          sid: 'ReadStackOutputs',
          actions: ['cloudformation:DescribeStacks'],
          // This stack only (its ARN with its unique id), where `--stack` finds the secret prefix and the table.
          resources: [Stack.of(this).stackId],
        }),
      ],
    });
    Validations.of(this.policy).acknowledge({
      id: credentialsWildcardFinding(props.secretNamePrefix),
      reason:
        'Ops register one secret per customer PIM after deploy, so the names are unknown at synth; the prefix ' +
        'limits the policy to PIM credentials, and * also matches the random suffix of each secret ARN.',
    });
    Validations.of(this.policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'secretsmanager:ListSecrets supports no resource-level permission (AWS requires "*"); it returns names ' +
        'and metadata only, never secret values.',
    });
  }
}
