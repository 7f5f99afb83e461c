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
import { CONNECTIONS_TABLE, STATES_TABLE, type TableDefinition } from '../../functions/contract/tables';

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
    this.states = tableOf(this, 'States', STATES_TABLE, common);
    this.connections = tableOf(this, 'Connections', CONNECTIONS_TABLE, common);
  }
}

/** A table as the contract defines it (keys, time to live, keys-only indexes), with the common settings. */
function tableOf(
  scope: Construct,
  id: string,
  definition: TableDefinition,
  common: Omit<TableProps, 'partitionKey'>,
): Table {
  const table = new Table(scope, id, {
    ...common,
    partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
    ...(definition.timeToLiveAttribute ? { timeToLiveAttribute: definition.timeToLiveAttribute } : {}),
  });
  for (const index of definition.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      ...(index.sortKey ? { sortKey: { name: index.sortKey, type: AttributeType.STRING } } : {}),
      projectionType: ProjectionType[index.projection],
    });
  }
  return table;
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
