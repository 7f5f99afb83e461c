import { join } from 'node:path';
import { EventBridgeRunEvents, LocalDirectoryRunEvents } from '../../../functions/adapters/run-events';
import { loadConfig } from '../../../functions/config';
import { createRunEvents } from '../../../functions/wiring/adapters/run-events';
import { awsClients } from '../../../functions/wiring/aws-clients';

const aws = awsClients('sync-worker');

describe('where the worker publishes its run-completed events', () => {
  it('is the EventBridge bus RUN_EVENTS_BUS_NAME names, on AWS', () => {
    const events = createRunEvents(loadConfig({ RUN_EVENTS_BUS_NAME: 'akeneo-runs' }), aws);

    expect(events).toBeInstanceOf(EventBridgeRunEvents);
    expect(events).toMatchObject({ busName: 'akeneo-runs' });
  });

  it('is that bus locally too, once it is set', () => {
    const events = createRunEvents(loadConfig({ APP_MODE: 'local', RUN_EVENTS_BUS_NAME: 'akeneo-runs' }), aws);

    expect(events).toBeInstanceOf(EventBridgeRunEvents);
  });

  it('is DATA_DIR/events locally, when no bus is set', () => {
    const events = createRunEvents(loadConfig({ APP_MODE: 'local', DATA_DIR: '/tmp/app-data' }), aws);

    expect(events).toBeInstanceOf(LocalDirectoryRunEvents);
    expect(events).toMatchObject({ directory: join('/tmp/app-data', 'events') });
  });

  it('stops at start on AWS without a bus, naming the setting', () => {
    expect(() => createRunEvents(loadConfig({}), aws)).toThrow('RUN_EVENTS_BUS_NAME is required');
  });
});
