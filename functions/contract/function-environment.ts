import type { AppFunctionName } from './names';
import { SETTINGS, type SettingKey } from './settings';

/** What every function is told: its mode and how it logs. */
const SHARED = ['mode', 'serviceName', 'logLevel'] as const;
/**
 * What the entry point to the connected PIMs reads (`createPimAccess`): the Connections table, the call slots every
 * function shares, and the token key (AWS only: locally the data directory's key file).
 */
export const PIM_ACCESS_SETTINGS = ['connectionsTableName', 'callSlotsTableName', 'tokenKmsKeyId'] as const;
/** What the two functions of the connection flow need to read credentials and keep states. */
const CONNECTION_FLOW = ['scopes', 'statesTableName', 'credentialsSecretPrefix', 'credentialsMaxAgeSeconds'] as const;

/** The settings the stack gives each function: exactly those its code reads. */
export const FUNCTION_SETTINGS = {
  landing: [...SHARED],
  activate: [...SHARED, ...CONNECTION_FLOW],
  // The catalog source: the callback ensures the app's catalog in the PIM, through the PIM's shared call slots.
  callback: [
    ...SHARED,
    ...CONNECTION_FLOW,
    'connectionsTableName',
    'tokenKmsKeyId',
    'productSource',
    'catalogName',
    'callSlotsTableName',
    'appPublicUrl',
    // The connected page says when the next scheduled sync runs at the latest.
    'syncScheduleMinutes',
  ],
  'sync-dispatch': [...SHARED, 'connectionsTableName', 'connectionsStatusIndex', 'syncQueueUrl', 'syncScheduleMinutes'],
  'sync-worker': [
    ...SHARED,
    ...PIM_ACCESS_SETTINGS,
    // The scopes the app requests: a connection granted fewer is told to the PIM (`scopes/update`).
    'scopes',
    'syncQueueUrl',
    'exportBucketName',
    'runEventsBusName',
    'productSource',
    'catalogName',
    'reconcileHours',
  ],
  'events-webhook': [
    ...SHARED,
    'connectionsTableName',
    'eventsQueueUrl',
    'credentialsSecretPrefix',
    'credentialsMaxAgeSeconds',
  ],
  'event-notifications-webhook': [
    ...SHARED,
    'connectionsTableName',
    'credentialsSecretPrefix',
    'credentialsMaxAgeSeconds',
  ],
  'event-worker': [
    ...SHARED,
    'connectionsTableName',
    'callSlotsTableName',
    'tokenKmsKeyId',
    'exportBucketName',
    'runEventsBusName',
  ],
} as const satisfies Record<AppFunctionName, readonly SettingKey[]>;

/** The values of one function's settings, keyed as in `Config`: a missing, extra or renamed one fails to compile. */
export type FunctionSettings<F extends AppFunctionName> = {
  readonly [K in (typeof FUNCTION_SETTINGS)[F][number]]: string;
};

/** The settings every function shares. */
export type SharedSettings = FunctionSettings<'landing'>;

/** A function's environment variables: each setting under its variable's name. */
export function functionEnvironment<F extends AppFunctionName>(
  fn: F,
  values: FunctionSettings<F>,
): Record<string, string> {
  const keys: readonly SettingKey[] = FUNCTION_SETTINGS[fn];
  return environmentOf(keys, values as Partial<Record<SettingKey, string>>);
}

/** What a downstream worker is told (`AkeneoCustomApp.addPimWorker`): its mode, how it logs, and the entry point's. */
export const PIM_WORKER_SETTINGS = [...SHARED, ...PIM_ACCESS_SETTINGS] as const;

export type PimWorkerSettings = { readonly [K in (typeof PIM_WORKER_SETTINGS)[number]]: string };

/** A worker's own settings of the contract, beside the entry point's (the example worker's export bucket). */
export type WorkerExtraSettings = Partial<Record<Exclude<SettingKey, keyof PimWorkerSettings>, string>>;

/** A downstream worker's environment variables: the entry point's settings, and any other setting it reads. */
export function pimWorkerEnvironment(
  values: PimWorkerSettings,
  extra: WorkerExtraSettings = {},
): Record<string, string> {
  const extraKeys = Object.keys(extra) as (keyof WorkerExtraSettings)[];
  return { ...environmentOf(PIM_WORKER_SETTINGS, values), ...environmentOf(extraKeys, extra) };
}

function environmentOf<K extends SettingKey>(
  keys: readonly K[],
  values: Partial<Record<K, string>>,
): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [SETTINGS[key].env, values[key] as string]));
}
