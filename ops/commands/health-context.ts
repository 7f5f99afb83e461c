import { SETTINGS, type SettingContext } from '../../functions/contract/settings';
import type { HealthContext } from '../../functions/core/sync-health';
import { UsageError } from '../errors';
import type { Target } from '../target';

/**
 * The schedule and the scopes the health is judged against: the local run's configuration, or on AWS the same
 * settings from the environment (`SYNC_SCHEDULE_MINUTES`, `APP_SCOPES`), else their defaults, as the stack sets them.
 */
export function healthContextFor(
  target: Target,
  env: Readonly<Record<string, string | undefined>>,
  now: Date,
): HealthContext {
  if (target.kind === 'local') {
    return { now, scheduleMinutes: target.config.syncScheduleMinutes, requestedScopes: target.config.scopes };
  }
  const problems: string[] = [];
  const context: SettingContext = {
    local: false,
    given: ({ env: name }) => {
      const value = env[name]?.trim();
      return value === '' ? undefined : value;
    },
    problem: (message) => problems.push(message),
  };
  const scheduleMinutes = SETTINGS.syncScheduleMinutes.read(context.given(SETTINGS.syncScheduleMinutes), context);
  const requestedScopes = SETTINGS.scopes.read(context.given(SETTINGS.scopes), context);
  if (problems.length > 0) throw new UsageError(`${problems.join('; ')}: fix the environment`);
  return { now, scheduleMinutes, requestedScopes };
}
