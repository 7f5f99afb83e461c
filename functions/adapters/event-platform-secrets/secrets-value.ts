import type { EventPlatformSecrets } from './interface';

/** Akeneo's limits on a signing secret (notification-webhooks.md): 16 to 256 characters. */
const MIN_LENGTH = 16;
const MAX_LENGTH = 256;

function isSecret(value: unknown): value is string {
  return typeof value === 'string' && value.length >= MIN_LENGTH && value.length <= MAX_LENGTH;
}

/** The stored form: JSON, one object per PIM. */
export function serialiseSecrets(secrets: EventPlatformSecrets): string {
  const { primary, secondary } = secrets.events;
  return JSON.stringify({
    events: { primary, ...(secondary === undefined ? {} : { secondary }) },
    notifications: secrets.notifications,
  });
}

/**
 * The secrets in a stored value; `location` names where it was read. The message never quotes the value: a parser's
 * own message would.
 */
export function parseSecrets(text: string, location: string): EventPlatformSecrets {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const record = value as { events?: { primary?: unknown; secondary?: unknown }; notifications?: unknown } | undefined;
  const events = record?.events;
  const secondary = events?.secondary;
  if (
    !isSecret(events?.primary) ||
    !isSecret(record?.notifications) ||
    !(secondary === undefined || isSecret(secondary))
  ) {
    throw new Error(
      `The Event Platform secrets in ${location} are not JSON of the form {"events": {"primary": "...", "secondary"?: "..."}, "notifications": "..."} with secrets of ${MIN_LENGTH} to ${MAX_LENGTH} characters`,
    );
  }
  return {
    events: { primary: events.primary, ...(secondary === undefined ? {} : { secondary }) },
    notifications: record.notifications,
  };
}
