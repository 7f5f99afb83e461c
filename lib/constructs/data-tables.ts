import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
  type TableProps,
} from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Index of the connections by status, then PIM host: the sync dispatch queries `status = 'active'` page by page. */
export const CONNECTIONS_STATUS_INDEX = 'status-index';

export interface DataTablesProps {
  /** Applies to both tables; with `RETAIN`, deletion protection is on as well. */
  readonly removalPolicy: RemovalPolicy;
}

/** The two tables of the data model (see design.md): authorization states and connections. */
export class DataTables extends Construct {
  /** Authorization states, keyed by the hash of the state value; DynamoDB expires them through `expiresAt`. */
  readonly states: Table;
  /** One connection per PIM host: status, encrypted token, who connected, sync cursor and checkpoint. */
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
    // Keys only: the dispatch needs the hosts, and the worker reads the whole item (and its token) by key anyway.
    this.connections.addGlobalSecondaryIndex({
      indexName: CONNECTIONS_STATUS_INDEX,
      partitionKey: { name: 'status', type: AttributeType.STRING },
      sortKey: { name: 'pimHost', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }
}

/**
 * The actions on the table's items only. `Table.grant` would add `<table>/index/*` as soon as the table has an index,
 * and none of these roles queries an index.
 */
export function grantOnItems(table: Table, grantee: IGrantable, ...actions: string[]): Grant {
  return Grant.addToPrincipal({ grantee, actions, resourceArns: [table.tableArn] });
}

/** `dynamodb:Query` on one index of the table, nothing on its items. */
export function grantQueryIndex(table: Table, indexName: string, grantee: IGrantable): Grant {
  return Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:Query'],
    resourceArns: [`${table.tableArn}/index/${indexName}`],
  });
}
