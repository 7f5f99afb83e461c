import type { CredentialsRegistry } from '../adapters/credentials-registry';
import type { StateStore } from '../adapters/state-store';
import { PimNotRegisteredError } from '../core/errors';
import { normalisePimUrl } from '../core/pim-url';
import { scopeString } from '../core/scopes';
import { newAuthorization } from '../core/state';

export interface StartConnectDeps {
  readonly credentials: CredentialsRegistry;
  readonly states: StateStore;
  readonly scopes: readonly string[];
  /** Locally, plain http is accepted for loopback PIMs (the sandbox). */
  readonly local: boolean;
  readonly randomBytes: (size: number) => Uint8Array;
}

export interface StartConnectInput {
  readonly pimUrl: unknown;
  /** Epoch seconds. */
  readonly now: number;
}

export interface StartConnectOutcome {
  /** The PIM's authorize URL, carrying the state. */
  readonly authorizeUrl: string;
  /** Goes into the browser's cookie. */
  readonly browserBinding: string;
  readonly pimHost: string;
  readonly stateHash: string;
}

export type StartConnect = (input: StartConnectInput) => Promise<StartConnectOutcome>;

/** Activate: the PIM sent the browser here; remember a state for it and send it to the PIM's consent screen. */
export const startConnect =
  (deps: StartConnectDeps): StartConnect =>
  async ({ pimUrl, now }) => {
    const pim = normalisePimUrl(pimUrl, { local: deps.local });
    const credentials = await deps.credentials.get(pim.host);
    if (!credentials) throw new PimNotRegisteredError(pim.url);
    const authorization = newAuthorization({
      pimUrl: pim.url,
      pimHost: pim.host,
      requestedScopes: deps.scopes,
      now,
      randomBytes: deps.randomBytes,
    });
    await deps.states.save(authorization.record);
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: credentials.clientId,
      scope: scopeString(deps.scopes),
      state: authorization.state,
    });
    return {
      authorizeUrl: `${pim.url}/connect/apps/v1/authorize?${query}`,
      browserBinding: authorization.browserBinding,
      pimHost: pim.host,
      stateHash: authorization.record.stateHash,
    };
  };
