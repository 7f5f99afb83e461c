import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccountRootPrincipal, Grant, type IRole, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** The one encryption context key of every token data key (functions/adapters/token-cipher/kms.ts). */
export const TOKEN_ENCRYPTION_CONTEXT_KEY = 'pimHost';

export interface TokenKeyProps {
  /** The tokens cannot be decrypted without this key: retain it as long as the connections table. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * What the account may do with the key through IAM: administer it, never use it. No kms:CreateGrant either (`Create*`
 * would include it): a grant hands out Decrypt without the key policy. kms:PutKeyPolicy must stay, or AWS refuses the
 * policy ("will not allow you to update the key policy in the future").
 */
const ADMINISTRATION = [
  'kms:CreateAlias',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

/**
 * The customer-managed key of the PIM access tokens (envelope encryption). Its key policy replaces CDK's default
 * (the account may do `kms:*` through IAM, so any identity policy could grant decryption): the account administers
 * the key, and each use is allowed to one role only, for one operation, bound to the `pimHost` context. Granting
 * takes both halves: the key policy names the role, and the role's own policy allows the call.
 */
export class TokenKey extends Construct {
  /** Its policy allows only what the grant methods below add: `key.grant*()` from CDK cannot give anyone a use. */
  readonly key: Key;

  constructor(scope: Construct, id: string, props: TokenKeyProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Encrypts the Akeneo access tokens of connected PIMs (data keys bound to the PIM host)',
      enableKeyRotation: true,
      alias: `alias/${Stack.of(this).stackName}/pim-tokens`,
      removalPolicy: props.removalPolicy,
      pendingWindow: Duration.days(30),
      // Given a policy, CDK adds no default statement (@aws-cdk/aws-kms:defaultKeyPolicies, always on in CDK v2).
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'AccountAdministersTheKeyWithoutUsingIt',
            principals: [new AccountRootPrincipal()],
            actions: ADMINISTRATION,
            resources: ['*'],
          }),
        ],
      }),
    });
  }

  /** Encrypt only: new data keys whose encryption context is exactly `{ pimHost }`. No `kms:Decrypt`. */
  grantGenerateDataKey(role: IRole): Grant {
    return this.grantWithPimHostContext(role, 'kms:GenerateDataKey');
  }

  /** Decrypt only: data keys encrypted under the `{ pimHost }` context. No `kms:GenerateDataKey`. */
  grantDecrypt(role: IRole): Grant {
    return this.grantWithPimHostContext(role, 'kms:Decrypt');
  }

  private grantWithPimHostContext(role: IRole, action: 'kms:GenerateDataKey' | 'kms:Decrypt'): Grant {
    const pimHostContextOnly = {
      // ForAllValues alone also matches a request without any context; Null=false requires one.
      'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': [TOKEN_ENCRYPTION_CONTEXT_KEY] },
      Null: { 'kms:EncryptionContextKeys': 'false' },
    };
    // The account as principal, narrowed to the role by aws:PrincipalArn, rather than the role as principal: KMS
    // rejects a key policy naming a role IAM has not yet propagated ("invalid principals"), which a role created in
    // the same deployment may not be.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new AccountRootPrincipal()],
        actions: [action],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': role.roleArn }, ...pimHostContextOnly },
      }),
    );
    return Grant.addToPrincipal({
      grantee: role,
      actions: [action],
      resourceArns: [this.key.keyArn],
      conditions: pimHostContextOnly,
    });
  }
}
