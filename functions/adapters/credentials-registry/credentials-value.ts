import { MalformedCredentialsError } from './errors';
import type { PimCredentials } from './interface';

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
