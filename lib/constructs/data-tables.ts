import { RemovalPolicy, Validations } from 'aws-cdk-lib';
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
import {
  CALL_SLOTS_TABLE,
  CONNECTIONS_TABLE,
  STATES_TABLE,
  type TableDefinition,
} from '../../functions/contract/tables';

export interface DataTablesProps {
  /** Applies to the states and connections tables; with `RETAIN`, deletion protection is on as well. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The two tables of the data model (see design.md), authorization states and connections, and the call slots that
 * keep every function within Akeneo's 4 concurrent calls per PIM.
 */
export class DataTables extends Construct {
  /** Authorization states, keyed by the hash of the state value; DynamoDB expires them through `expiresAt`. */
  readonly states: Table;
  /** One connection per PIM host: status, encrypted token, who connected, sync cursor and checkpoint. */
  readonly connections: Table;
  /** The leases of each PIM's call slots, by PIM host and slot number; DynamoDB removes ended ones (`expiresAt`). */
  readonly callSlots: Table;

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
    // Leases live 40 seconds at most and hold nothing else: there is nothing to recover to a point in time, and
    // nothing to keep once the stack is deleted (a new table starts with every slot free, which is right).
    this.callSlots = tableOf(this, 'CallSlots', CALL_SLOTS_TABLE, {
      ...common,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
      removalPolicy: RemovalPolicy.DESTROY,
      deletionProtection: false,
    });
    Validations.of(this.callSlots).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'Call slot leases last 40 seconds and carry no data: a point-in-time restore would bring back only ' +
        'leases that have ended.',
    });
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
    ...(definition.sortKey ? { sortKey: { name: definition.sortKey, type: AttributeType.STRING } } : {}),
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
 * What calling a PIM through its call slots takes of the call slots table: a slot is taken by a conditional put and
 * freed by a conditional delete; a Query of the PIM's few leases finds the free ones when the first try was refused;
 * a conditional update stands a call in line for a taken slot and hands the slot over to it on release.
 * The time to live needs nothing of the role.
 */
export const CALL_SLOT_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
] as const;

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
