import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** The one encryption context key of every token data key (functions/adapters/token-cipher/kms.ts). */
export const TOKEN_ENCRYPTION_CONTEXT_KEY = 'pimHost';

export interface TokenKeyProps {
  /** The tokens cannot be decrypted without this key: retain it as long as the connections table. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The customer-managed key of the PIM access tokens (envelope encryption). Its policy is CDK's default: the account
 * administers it through IAM. Each role gets only the one operation it needs, bound to the `pimHost` context.
 */
export class TokenKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: TokenKeyProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Encrypts the Akeneo access tokens of connected PIMs (data keys bound to the PIM host)',
      enableKeyRotation: true,
      alias: `alias/${Stack.of(this).stackName}/pim-tokens`,
      removalPolicy: props.removalPolicy,
      pendingWindow: Duration.days(30),
    });
  }

  /** Encrypt only: new data keys whose encryption context is exactly `{ pimHost }`. No `kms:Decrypt`. */
  grantGenerateDataKey(grantee: IGrantable): Grant {
    return this.grantWithPimHostContext(grantee, 'kms:GenerateDataKey');
  }

  /** Decrypt only: data keys encrypted under the `{ pimHost }` context. No `kms:GenerateDataKey`. */
  grantDecrypt(grantee: IGrantable): Grant {
    return this.grantWithPimHostContext(grantee, 'kms:Decrypt');
  }

  private grantWithPimHostContext(grantee: IGrantable, action: 'kms:GenerateDataKey' | 'kms:Decrypt'): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: [action],
      resourceArns: [this.key.keyArn],
      conditions: {
        // ForAllValues alone also matches a request without any context; Null=false requires one.
        'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': [TOKEN_ENCRYPTION_CONTEXT_KEY] },
        Null: { 'kms:EncryptionContextKeys': 'false' },
      },
    });
  }
}
