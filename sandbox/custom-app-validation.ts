/** The PIM's custom-app limit (akeneo_connectivity.custom_apps.max_limit). */
export const MAX_CUSTOM_APPS = 20;
const MIN_NAME_LENGTH = 3;
const MAX_LENGTH = 255;

/** The PIM's translation keys (CreateCustomAppCommand), shown beside Symfony's English messages. */
const KEY_PREFIX = 'akeneo_connectivity.connection.connect.custom_apps.create_modal.errors.';

export const CUSTOM_APP_MESSAGES = {
  blank: 'This value should not be blank.',
  tooShort: `This value is too short. It should have ${MIN_NAME_LENGTH} characters or more.`,
  tooLong: `This value is too long. It should have ${MAX_LENGTH} characters or less.`,
  notUrl: 'This value is not a valid URL.',
  limitReached: `You have reached the limit of ${MAX_CUSTOM_APPS} custom apps.`,
} as const;

export type CustomAppField = 'name' | 'activateUrl' | 'callbackUrl';

export interface CustomAppViolation {
  /** undefined for the limit, which concerns the whole form. */
  field: CustomAppField | undefined;
  message: string;
  key: string;
}

export interface CustomAppForm {
  name: string;
  activateUrl: string;
  callbackUrl: string;
}

const KEY_FIELD: Record<CustomAppField, string> = {
  name: 'name',
  activateUrl: 'activate_url',
  callbackUrl: 'callback_url',
};

function violation(field: CustomAppField, rule: string, message: string): CustomAppViolation {
  return { field, message, key: `${KEY_PREFIX}${KEY_FIELD[field]}.${rule}` };
}

/** Symfony counts characters, not UTF-16 units. */
function characterCount(value: string): number {
  return [...value].length;
}

/** Close to Symfony's Url constraint: http or https, a host, nothing that a browser would have to repair. */
export function isValidAppUrl(value: string): boolean {
  if (!/^https?:\/\/[^\s/?#]+/i.test(value) || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function validateUrl(field: CustomAppField, value: string): CustomAppViolation | undefined {
  if (value === '') return violation(field, 'not_blank', CUSTOM_APP_MESSAGES.blank);
  if (characterCount(value) > MAX_LENGTH) return violation(field, 'max_length', CUSTOM_APP_MESSAGES.tooLong);
  if (!isValidAppUrl(value)) return violation(field, 'must_be_url', CUSTOM_APP_MESSAGES.notUrl);
  return undefined;
}

/**
 * The checks of the PIM's CreateCustomAppCommand, first failing check per field (the PIM's form shows one message
 * per field), plus the class-level limit of 20 custom apps.
 */
export function validateCustomApp(form: CustomAppForm, existingApps: number): CustomAppViolation[] {
  const violations: CustomAppViolation[] = [];
  if (existingApps >= MAX_CUSTOM_APPS) {
    violations.push({ field: undefined, message: CUSTOM_APP_MESSAGES.limitReached, key: `${KEY_PREFIX}limit_reached` });
  }
  const nameLength = characterCount(form.name);
  if (form.name === '') violations.push(violation('name', 'not_blank', CUSTOM_APP_MESSAGES.blank));
  else if (nameLength < MIN_NAME_LENGTH) violations.push(violation('name', 'min_length', CUSTOM_APP_MESSAGES.tooShort));
  else if (nameLength > MAX_LENGTH) violations.push(violation('name', 'max_length', CUSTOM_APP_MESSAGES.tooLong));
  for (const field of ['activateUrl', 'callbackUrl'] as const) {
    const failure = validateUrl(field, form[field]);
    if (failure) violations.push(failure);
  }
  return violations;
}
