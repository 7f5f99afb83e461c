import { SETTINGS, type SettingContext, type SettingKey, type SettingValues } from './contract/settings';
import { AppError } from './core/errors';

export type { AppMode, CredentialsStoreKind, ExportSinkKind } from './contract/settings';

/** Every setting of the runtime, read and validated once per cold start (see `contract/settings.ts`). */
export type Config = SettingValues & {
  /**
   * Local only, never read from the environment: the key the embedded DynamoDB asks of its clients (as their access
   * key id), set beside `dynamodbEndpoint` by whoever found or started it. Absent for DynamoDB Local, which takes any.
   */
  readonly dynamodbAccessKeyId?: string;
};

/** The settings only some functions need: absent where one is needed is a configuration error naming it. */
type OptionalSettingKey = { [K in SettingKey]: undefined extends Config[K] ? K : never }[SettingKey];

export function requireSetting(config: Config, key: OptionalSettingKey): string {
  requireSettings(config, [key]);
  return config[key] as string;
}

/** Checks several settings at once: one error names every one that is missing. */
export function requireSettings(config: Config, keys: readonly OptionalSettingKey[]): void {
  const missing = keys.filter((key) => config[key] === undefined);
  if (missing.length > 0) throw new ConfigError(missing.map((key) => `${SETTINGS[key].env} is required`));
}

export class ConfigError extends AppError {
  readonly code = 'invalid_configuration';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads every setting (`APP_MODE` first: several defaults differ locally); one error names every bad one. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const given = ({ env: name }: { readonly env: string }) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const mode = SETTINGS.mode.read(given(SETTINGS.mode), {
    local: false,
    given,
    problem: (message) => problems.push(message),
  });
  const context: SettingContext = {
    local: mode === 'local',
    given,
    problem: (message) => problems.push(message),
  };
  const values: Record<string, unknown> = { mode };
  for (const [key, setting] of Object.entries(SETTINGS)) {
    if (key !== 'mode') values[key] = setting.read(given(setting), context);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(values as Config);
}
