import { Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { credentialsSecretArns, credentialsWildcardFinding } from './credentials-access';

export interface OpsPolicyProps {
  readonly secretNamePrefix: string;
  readonly connections: ITable;
}

/**
 * What the ops CLI needs: register, rotate and remove PIM credentials under the prefix, and read connections for
 * `status`. Attach it to the ops users or roles; no function role has it.
 */
export class OpsPolicy extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: OpsPolicyProps) {
    super(scope, id);
    this.policy = new ManagedPolicy(this, 'Policy', {
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
            'secretsmanager:ListSecretVersionIds',
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
          actions: ['dynamodb:Scan', 'dynamodb:GetItem'],
          resources: [props.connections.tableArn],
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
