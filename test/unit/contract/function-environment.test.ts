import { loadConfig } from '../../../functions/config';
import { FUNCTION_SETTINGS, functionEnvironment } from '../../../functions/contract/function-environment';
import { APP_FUNCTIONS } from '../../../functions/contract/names';
import { SETTINGS } from '../../../functions/contract/settings';

const shared = { mode: 'aws', serviceName: 'akeneo-custom-app', logLevel: 'DEBUG' };

describe("a function's environment", () => {
  it('names each setting by its variable, and loadConfig reads each one back', () => {
    const environment = functionEnvironment('sync-dispatch', {
      ...shared,
      connectionsTableName: 'connections',
      connectionsStatusIndex: 'status-index',
      syncQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/sync.fifo',
      syncScheduleMinutes: '30',
    });

    expect(environment).toEqual({
      APP_MODE: 'aws',
      POWERTOOLS_SERVICE_NAME: 'akeneo-custom-app',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      CONNECTIONS_TABLE_NAME: 'connections',
      CONNECTIONS_STATUS_INDEX: 'status-index',
      SYNC_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/sync.fifo',
      SYNC_SCHEDULE_MINUTES: '30',
    });
    expect(loadConfig(environment)).toMatchObject({
      mode: 'aws',
      logLevel: 'DEBUG',
      connectionsTableName: 'connections',
      syncScheduleMinutes: 30,
    });
  });

  it('is set for every function, from settings of the contract only', () => {
    expect(Object.keys(FUNCTION_SETTINGS).sort()).toEqual([...APP_FUNCTIONS].sort());
    for (const keys of Object.values(FUNCTION_SETTINGS)) {
      for (const key of keys) expect(SETTINGS).toHaveProperty(key);
    }
  });

  it('takes exactly the settings of its function: the type checker refuses a missing or a foreign one', () => {
    const landing = () =>
      // @ts-expect-error the landing function has no tables
      functionEnvironment('landing', { ...shared, statesTableName: 'states' });
    // @ts-expect-error the worker needs its export bucket
    const worker = () => functionEnvironment('sync-worker', { ...shared, connectionsTableName: 'c' });

    expect(landing()).toEqual({
      APP_MODE: 'aws',
      POWERTOOLS_SERVICE_NAME: 'akeneo-custom-app',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
    expect(worker()).toHaveProperty('EXPORT_BUCKET_NAME', undefined);
  });
});
