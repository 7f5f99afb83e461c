import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeRunEvents, LocalDirectoryRunEvents, type RunEvents } from '../../adapters/run-events';
import { type Config, requireSetting } from '../../config';
import type { AwsClients } from '../aws-clients';

/** The bus `RUN_EVENTS_BUS_NAME` names (required on AWS); locally, without one, `DATA_DIR/events/`. */
export function createRunEvents(config: Config, aws: AwsClients): RunEvents {
  if (config.mode === 'local' && config.runEventsBusName === undefined) {
    return new LocalDirectoryRunEvents(join(config.dataDir, 'events'));
  }
  return new EventBridgeRunEvents({
    client: aws.create(EventBridgeClient),
    busName: requireSetting(config, 'runEventsBusName'),
  });
}
