import { SETTINGS } from '../functions/contract/settings';
import { InvalidPimUrlError } from '../functions/core/errors';
import { normalisePimUrl, type PimAddress } from '../functions/core/pim-url';
import { UsageError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What Akeneo's *Create an App* and *Regenerate* show as the client secret. */
const PIM_SECRET = /^[0-9A-Za-z]{86}$/;

/**
 * The activate handler's URL rules for the app these credentials serve: a deployed app (`--aws`) takes https PIMs
 * only, unless `APP_MODE=local` says the Secrets Manager registry serves a local run (whose PIM is on loopback).
 */
export function pimUrlPolicy(
  flags: { readonly aws?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): { readonly local: boolean } {
  return { local: !flags.aws || env[SETTINGS.mode.env] === 'local' };
}

/** The PIM URL, normalised exactly as the activate handler does, so the key matches what it looks up. */
export function pimAddressFrom(raw: string, { local }: { readonly local: boolean }): PimAddress {
  try {
    return normalisePimUrl(raw, { local });
  } catch (error) {
    if (!(error instanceof InvalidPimUrlError)) throw error;
    const hint = local
      ? 'give the address only, like https://my-pim.cloud.akeneo.com (or http://localhost:3001 locally)'
      : 'give the https address only, like https://my-pim.cloud.akeneo.com';
    throw new InvalidPimUrlError(`${error.message} (got "${raw}"): ${hint}`, { cause: error });
  }
}

export function clientIdFrom(raw: string): string {
  const clientId = raw.trim();
  if (clientId === '') throw new UsageError('The client id is empty: copy the Client ID from the PIM');
  return clientId;
}

/** Doubts about credentials that are still accepted: the PIM has the last word, at the first connection. */
export function credentialWarnings(clientId: string, clientSecret: string): string[] {
  const warnings: string[] = [];
  if (!UUID.test(clientId)) {
    warnings.push(`the client id "${clientId}" is not a UUID like the PIM's Client ID: check you copied it whole`);
  }
  if (!PIM_SECRET.test(clientSecret)) {
    warnings.push("the client secret is not 86 letters and digits like a PIM's secret: check you copied it whole");
  }
  return warnings;
}
