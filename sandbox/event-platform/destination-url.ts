const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
export const MAX_URL_LENGTH = 2048;

/**
 * Why this URL cannot receive deliveries, or undefined when it can. Akeneo requires https; the sandbox also takes
 * plain http on a loopback host (localhost, 127.0.0.1, [::1]), since everything it talks to runs on this machine.
 */
export function destinationUrlError(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'This value should not be blank.';
  if (value.length > MAX_URL_LENGTH) return `The URL must have at most ${MAX_URL_LENGTH} characters.`;
  if (!URL.canParse(value)) return 'This value is not a valid URL.';
  const url = new URL(value);
  if (url.username !== '' || url.password !== '') return 'The URL must not carry credentials.';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'The URL must use https (the sandbox also accepts http on localhost, 127.0.0.1 or [::1]).';
}
