import { type CallSlots, DynamoDbCallSlots } from '../../adapters/call-slots';
import { type Config, requireSetting } from '../../config';
import type { AwsClients } from '../aws-clients';
import { createDocumentClient } from './dynamodb';

/**
 * The PIMs' call slots, shared by every function instance through the call slots table: on AWS, and locally on the
 * local database (so `npm run sync` and anything else running against the same PIM share them too). There is no
 * fallback to this process's own slots: a function without the table would break Akeneo's limit unnoticed, so a
 * missing `CALL_SLOTS_TABLE_NAME` stops it at start instead.
 */
export function createCallSlots(config: Config, aws: AwsClients): CallSlots {
  return new DynamoDbCallSlots({
    client: createDocumentClient(config, aws),
    tableName: requireSetting(config, 'callSlotsTableName'),
  });
}
