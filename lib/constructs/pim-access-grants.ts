import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { CALL_SLOT_ACTIONS, grantOnItems } from './data-tables';
import type { TokenKey } from './token-key';

/** What the entry point to the connected PIMs (functions/pim-access/) works with. */
export interface PimAccessResources {
  readonly connections: Table;
  readonly callSlots: Table;
  readonly tokenKey: TokenKey;
}

/**
 * Exactly the calls of the entry point: the connection's consistent read and its two conditional status writes
 * (`revoked`, `scope_missing`: UpdateItem over the token version read); a call slot taken by a conditional put, freed
 * by a conditional delete, and a Query of the PIM's few leases when the first try was refused (the time to live needs
 * nothing of the role); and the token's decryption, bound to the `pimHost` context, in both halves: the role's
 * policy and the key policy's statement naming the role.
 *
 * IAM narrows this no further. GetItem needs the whole item (the sealed token, its version, the status, the scopes).
 * For UpdateItem, `dynamodb:Attributes` could list the attribute names a write may touch, but not their values: a role
 * allowed to write `status` could write any status, and what keeps a newer token active is the write's condition on
 * the token version read, which only DynamoDB checks.
 */
export function grantPimAccess(role: IRole, { connections, callSlots, tokenKey }: PimAccessResources): void {
  grantOnItems(connections, role, 'dynamodb:GetItem', 'dynamodb:UpdateItem');
  grantOnItems(callSlots, role, ...CALL_SLOT_ACTIONS);
  tokenKey.grantDecrypt(role);
}
