import type { ScopesNotice } from './connection';
import { compareScopes } from './scopes';
import { sha256Hex } from './state';

/** A set of missing scopes to tell the PIM about: never an empty one. */
export interface MissingScopes {
  readonly missing: readonly string[];
  readonly setHash: string;
}

/** The hash of a set of scopes, whatever their order or repeats. */
export function scopeSetHash(scopes: readonly string[]): string {
  return sha256Hex(`akeneo-scope-set:${[...new Set(scopes)].sort().join(' ')}`).slice(0, 32);
}

/**
 * The scopes the app requests that the PIM did not grant, when the PIM has not yet been told of this very set:
 * undefined when none is missing or the last notice was for the same set. Never a loop: one notice per distinct set.
 */
export function scopesToNotify(
  requested: readonly string[],
  granted: readonly string[],
  lastNotice: ScopesNotice | undefined,
): MissingScopes | undefined {
  const { missing } = compareScopes(requested, granted);
  if (missing.length === 0) return undefined;
  const setHash = scopeSetHash(missing);
  return lastNotice?.setHash === setHash ? undefined : { missing, setHash };
}
