import { STATE_TTL_SECONDS } from '../core/state';

/**
 * The cookie that binds a browser to the state it was given. `__Host-` (Secure, Path=/, no Domain) on https;
 * plain name on http, which only a local run on a loopback host uses. SameSite=Lax lets the PIM's top-level
 * redirect back to the callback carry it.
 */
export function bindingCookieName(https: boolean): string {
  return https ? '__Host-akeneo_connect' : 'akeneo_connect';
}

export function bindingCookie(value: string, https: boolean): string {
  const attributes = [`Max-Age=${STATE_TTL_SECONDS}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (https) attributes.push('Secure');
  return [`${bindingCookieName(https)}=${value}`, ...attributes].join('; ');
}
