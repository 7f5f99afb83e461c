import { ConfigError, loadConfig } from '../../../functions/config';
import { PIM_WORKER_SETTINGS, pimWorkerEnvironment } from '../../../functions/contract/function-environment';
import { workerName } from '../../../functions/contract/names';
import { PimAccess } from '../../../functions/pim-access';
import { awsClients } from '../../../functions/wiring/aws-clients';
import { createPimAccess } from '../../../functions/wiring/pim-access';

const worker = awsClients(workerName('price-feed'));
const shared = { mode: 'aws', serviceName: 'akeneo-custom-app', logLevel: 'INFO' };

describe("the entry point's settings, for any function that calls a PIM", () => {
  it('stops a worker at start without them, naming every missing one at once', () => {
    const config = loadConfig({ APP_MODE: 'aws' });

    const start = () => createPimAccess(config, worker);

    expect(start).toThrow(ConfigError);
    expect(start).toThrow(
      'Invalid configuration: CONNECTIONS_TABLE_NAME is required; CALL_SLOTS_TABLE_NAME is required; ' +
        'TOKEN_KMS_KEY_ID is required',
    );
  });

  it('needs no token key locally, where the local key file encrypts the tokens', () => {
    expect(createPimAccess(loadConfig({ APP_MODE: 'local', DATA_DIR: '/nonexistent' }), worker)).toBeInstanceOf(
      PimAccess,
    );
  });

  it("are exactly what a worker's environment holds, and the entry point starts on it", () => {
    const environment = pimWorkerEnvironment({
      ...shared,
      connectionsTableName: 'connections',
      callSlotsTableName: 'call-slots',
      tokenKmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k',
    });

    expect(environment).toEqual({
      APP_MODE: 'aws',
      POWERTOOLS_SERVICE_NAME: 'akeneo-custom-app',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      CONNECTIONS_TABLE_NAME: 'connections',
      CALL_SLOTS_TABLE_NAME: 'call-slots',
      TOKEN_KMS_KEY_ID: 'arn:aws:kms:eu-west-1:123456789012:key/k',
    });
    expect(Object.keys(environment)).toHaveLength(PIM_WORKER_SETTINGS.length);
    expect(createPimAccess(loadConfig(environment), worker)).toBeInstanceOf(PimAccess);
  });

  it('takes every one of them: the type checker refuses a worker environment without the call slots', () => {
    const withoutSlots = () =>
      // @ts-expect-error the call slots table is what keeps the worker within Akeneo's 4 calls
      pimWorkerEnvironment({ ...shared, connectionsTableName: 'c', tokenKmsKeyId: 'k' });

    expect(() => createPimAccess(loadConfig(withoutSlots()), worker)).toThrow('CALL_SLOTS_TABLE_NAME is required');
  });
});
