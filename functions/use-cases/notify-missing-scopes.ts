import type { ConnectionAccessStore, ScopesNoticeStore } from '../adapters/connection-store';
import { asAppError, reasonOf } from '../core/errors';
import { scopesToNotify } from '../core/scopes-notice';
import type { PimAccess } from '../pim-access';
import type { SyncProducts } from './sync-products';

export interface NotifyMissingScopesDeps {
  readonly pims: Pick<PimAccess, 'withPim'>;
  readonly store: Pick<ConnectionAccessStore, 'get'> & ScopesNoticeStore;
  /** The scopes the deployed app requests (`APP_SCOPES`): sent whole, as Akeneo asks. */
  readonly requestedScopes: readonly string[];
  readonly now: () => Date;
}

export type ScopesNoticeOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'sent'; readonly missing: readonly string[] }
  /** Another run claimed this set first, or the PIM was told of it already. */
  | { readonly kind: 'already_sent' }
  | {
      readonly kind: 'failed';
      readonly missing: readonly string[];
      readonly errorCode: string;
      readonly reason: string;
    }
  | { readonly kind: 'not_callable'; readonly reason: string };

export type NotifyMissingScopes = (pimHost: string) => Promise<ScopesNoticeOutcome>;

/**
 * When the app requests scopes its connection was not granted (a new version of the app asks for more), tells the
 * PIM once per distinct missing set (`scopes/update` with the full list), claimed on the connection by one
 * conditional write. Never sends the admin back through the authorization: their *Open app* does that. A failed
 * call forgets the claim, so the next occasion (the next sync) tries again.
 */
export const notifyMissingScopes =
  (deps: NotifyMissingScopesDeps): NotifyMissingScopes =>
  async (pimHost) => {
    const connection = await deps.store.get(pimHost);
    if (connection?.status !== 'active') return { kind: 'none' };
    const toNotify = scopesToNotify(deps.requestedScopes, connection.scopes ?? [], connection.scopesNotice);
    if (toNotify === undefined) return { kind: 'none' };
    const notice = { ...toNotify, missing: [...toNotify.missing], at: deps.now().toISOString() };
    if (!(await deps.store.claimScopesNotice(pimHost, notice))) return { kind: 'already_sent' };
    try {
      const outcome = await deps.pims.withPim(connection, (pim) => pim.notifyScopesUpdate(deps.requestedScopes));
      if (outcome.status === 'done') return { kind: 'sent', missing: notice.missing };
      await deps.store.releaseScopesNotice(pimHost, notice.setHash);
      return { kind: 'not_callable', reason: outcome.status === 'not_connected' ? 'no connection' : outcome.reason };
    } catch (error) {
      await deps.store.releaseScopesNotice(pimHost, notice.setHash);
      const failure = asAppError(error);
      return { kind: 'failed', missing: notice.missing, errorCode: failure.code, reason: reasonOf(failure) };
    }
  };

/** The sync, after telling the PIM of missing scopes first: a notice that fails never stops the sync. */
export const notifyingMissingScopes =
  (
    sync: SyncProducts,
    notify: NotifyMissingScopes,
    report: (pimHost: string, outcome: ScopesNoticeOutcome) => void,
  ): SyncProducts =>
  async (input) => {
    if (input.runId === undefined) {
      try {
        report(input.pimHost, await notify(input.pimHost));
      } catch (error) {
        const failure = asAppError(error);
        report(input.pimHost, { kind: 'failed', missing: [], errorCode: failure.code, reason: reasonOf(failure) });
      }
    }
    return sync(input);
  };
