import type { AppFunctionName } from './names';
import { SETTINGS, type SettingKey } from './settings';

/** What every function is told: its mode and how it logs. */
const SHARED = ['mode', 'serviceName', 'logLevel'] as const;
/** What the two functions of the connection flow need to read credentials and keep states. */
const CONNECTION_FLOW = ['scopes', 'statesTableName', 'credentialsSecretPrefix', 'credentialsMaxAgeSeconds'] as const;

/** The settings the stack gives each function: exactly those its code reads. */
export const FUNCTION_SETTINGS = {
  landing: [...SHARED],
  activate: [...SHARED, ...CONNECTION_FLOW],
  callback: [...SHARED, ...CONNECTION_FLOW, 'connectionsTableName', 'tokenKmsKeyId'],
  'sync-dispatch': [...SHARED, 'connectionsTableName', 'connectionsStatusIndex', 'syncQueueUrl', 'syncScheduleMinutes'],
  'sync-worker': [
    ...SHARED,
    // The scopes the app requests: a connection granted fewer is told to the PIM (`scopes/update`).
    'scopes',
    'connectionsTableName',
    'callSlotsTableName',
    'tokenKmsKeyId',
    'syncQueueUrl',
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
  const keys: readonly (keyof FunctionSettings<F>)[] = FUNCTION_SETTINGS[fn];
  return Object.fromEntries(keys.map((key) => [SETTINGS[key as SettingKey].env, values[key] as string]));
}
