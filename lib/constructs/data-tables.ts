import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption, type TableProps } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export interface DataTablesProps {
  /** Applies to both tables; with `RETAIN`, deletion protection is on as well. */
  readonly removalPolicy: RemovalPolicy;
}

/** The two tables of the data model (see design.md): authorization states and connections. */
export class DataTables extends Construct {
  /** Authorization states, keyed by the hash of the state value; DynamoDB expires them through `expiresAt`. */
  readonly states: Table;
  /** One connection per PIM host: status, encrypted token, who connected, sync checkpoint. */
  readonly connections: Table;

  constructor(scope: Construct, id: string, props: DataTablesProps) {
    super(scope, id);
    const common: Omit<TableProps, 'partitionKey'> = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      // AWS-managed key: the tokens are already encrypted by the app key, and the functions need no kms:Decrypt.
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy,
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
    };
    this.states = new Table(this, 'States', {
      ...common,
      partitionKey: { name: 'stateHash', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
    });
    this.connections = new Table(this, 'Connections', {
      ...common,
      partitionKey: { name: 'pimHost', type: AttributeType.STRING },
    });
  }
}
