import { MalformedCredentialsError } from './errors';
import type { PimCredentials } from './interface';

/** Secrets Manager names allow letters, digits and /_+=.@- only: a port's colon becomes an underscore. */
export function credentialsKey(pimHost: string): string {
  return pimHost.replace(':', '_');
}

export function secretNameFor(prefix: string, pimHost: string): string {
  return `${prefix}/${credentialsKey(pimHost)}`;
}

/** `location` names where the value was read (for the error), as `MalformedCredentialsError` describes. */
export function parseCredentials(value: unknown, location: string): PimCredentials {
  const record = value as Partial<Record<'clientId' | 'clientSecret', unknown>> | null;
  const clientId = record?.clientId;
  const clientSecret = record?.clientSecret;
  if (typeof clientId !== 'string' || clientId === '' || typeof clientSecret !== 'string' || clientSecret === '') {
    throw new MalformedCredentialsError(location);
  }
  return { clientId, clientSecret };
}
