import { InvalidPimUrlError } from './errors';

/** A PIM's address after normalisation: the one key used everywhere for that PIM. */
export interface PimAddress {
  /** Scheme, host and port only, no trailing slash: `https://my-pim.cloud.akeneo.com`. */
  readonly url: string;
  /** Lower-case host with the port when it is not the scheme's default: `my-pim.cloud.akeneo.com`. */
  readonly host: string;
}

export interface PimUrlPolicy {
  /** Running locally: plain http is accepted for loopback hosts, and IP literals are accepted. */
  readonly local: boolean;
}

const MAX_PIM_URL_LENGTH = 2048;
const LOOPBACK_HOSTNAMES = new Set(['localhost', '[::1]']);

export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname) || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** The scheme rule of the mode: on AWS https only; locally, http too for a PIM on this machine. */
function schemeRule(policy: PimUrlPolicy): string {
  return policy.local
    ? 'The PIM URL must use https (or http for a PIM on this machine: localhost, 127.0.0.1)'
    : 'The PIM URL must use https';
}

function isIpLiteral(hostname: string): boolean {
  return hostname.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname);
}

/** Normalises an untrusted `pim_url`, or throws `InvalidPimUrlError` saying what is wrong with it. */
export function normalisePimUrl(raw: unknown, policy: PimUrlPolicy): PimAddress {
  if (typeof raw !== 'string' || raw.trim() === '') throw new InvalidPimUrlError('The pim_url parameter is missing');
  const text = raw.trim();
  if (text.length > MAX_PIM_URL_LENGTH) throw new InvalidPimUrlError('The pim_url parameter is too long');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidPimUrlError('The pim_url parameter is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidPimUrlError(schemeRule(policy));
  if (url.username !== '' || url.password !== '') {
    throw new InvalidPimUrlError('The PIM URL must not contain a user name or password');
  }
  if (url.pathname !== '/') throw new InvalidPimUrlError('The PIM URL must not contain a path');
  if (text.includes('?')) throw new InvalidPimUrlError('The PIM URL must not contain a query');
  if (text.includes('#')) throw new InvalidPimUrlError('The PIM URL must not contain a fragment');
  const hostname = url.hostname;
  if (hostname === '') throw new InvalidPimUrlError('The PIM URL has no host');
  if (!isIpLiteral(hostname) && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(hostname)) {
    throw new InvalidPimUrlError('The PIM URL has an invalid host name');
  }
  if (!policy.local && isIpLiteral(hostname)) {
    throw new InvalidPimUrlError('The PIM URL must name a host, not an IP address');
  }
  if (url.protocol === 'http:' && !(policy.local && isLoopbackHostname(hostname))) {
    throw new InvalidPimUrlError(schemeRule(policy));
  }
  return { url: url.origin, host: url.host };
}
