import type { ConnectionStore } from '../adapters/connection-store';
import type { CredentialsRegistry } from '../adapters/credentials-registry';
import type { StateStore } from '../adapters/state-store';
import type { TokenCipher } from '../adapters/token-cipher/interface';
import type { OpenIdVerifier } from '../akeneo/openid';
import type { EventPlatformSubscription } from '../contract/event-platform';
import { type ConnectedBy, connectedByFrom, tokenVersionOf } from '../core/connection';
import {
  AuthorizationDeniedError,
  BrowserMismatchError,
  MissingParameterError,
  PimNotRegisteredError,
  StateAlreadyUsedError,
  UnknownStateError,
  withPim,
} from '../core/errors';
import { compareScopes } from '../core/scopes';
import { type AuthorizationState, looksLikeState, sha256Hex } from '../core/state';
import { type CatalogView, type ConnectCatalog, storedCatalogView } from './connect-catalog';
import { type ConnectedSync, connectedSyncOf } from './connected-sync';
import { type ExchangeCodeDeps, exchangeCode } from './exchange-code';
import type { SubscribeOutcome, SubscribeToEventPlatform } from './subscribe-to-event-platform';

export interface CompleteConnectDeps extends ExchangeCodeDeps {
  readonly states: StateStore;
  readonly connections: ConnectionStore;
  readonly credentials: CredentialsRegistry;
  readonly cipher: TokenCipher;
  readonly openId: OpenIdVerifier;
  /** The catalog product source: ensures the app's catalog once the token is stored. Absent: the products source. */
  readonly connectCatalog?: ConnectCatalog;
  /** The Event Platform step after the token is stored; absent where the app does not subscribe (no public URL). */
  readonly subscribeToEventPlatform?: SubscribeToEventPlatform;
  /** The schedule slot length (`SYNC_SCHEDULE_MINUTES`): when the next run starts at the latest. */
  readonly syncScheduleMinutes: number;
  /** The scopes the app requests (`APP_SCOPES`): what a replayed page compares the grant with. */
  readonly appScopes: readonly string[];
}

export interface CompleteConnectInput {
  readonly code?: string;
  readonly state?: string;
  /** An `error` parameter: CE never sends one, a SaaS PIM might. */
  readonly error?: string;
  /** The value of the cookie Activate set in this browser. */
  readonly browserBinding?: string;
  /** Epoch seconds. */
  readonly now: number;
}

export interface ConnectionSummary {
  readonly pimUrl: string;
  readonly pimHost: string;
  readonly grantedScopes: readonly string[];
  readonly missingScopes: readonly string[];
  readonly connectedBy?: ConnectedBy;
  /** The catalog source: the app's catalog in this PIM, or why it is not set up yet. */
  readonly catalog?: CatalogView;
  /** Where the PIM stands with the Event Platform, when the app subscribes at all. */
  readonly eventPlatform?: EventPlatformSubscription;
  /** The PIM's sync: last success, failures, problems, the next run (from the item the callback's write returned). */
  readonly sync: ConnectedSync;
}

/** How the Event Platform step ended: what it found, or the error it hit (the connection is made either way). */
export type EventPlatformStep =
  | ({ readonly kind: 'done' } & SubscribeOutcome)
  | { readonly kind: 'error'; readonly error: unknown };

export type CompleteConnectOutcome =
  | ({
      readonly kind: 'connected';
      readonly tokenVersion: string;
      readonly eventPlatformStep?: EventPlatformStep;
    } & ConnectionSummary)
  | ({ readonly kind: 'already-connected' } & ConnectionSummary);

export type CompleteConnect = (input: CompleteConnectInput) => Promise<CompleteConnectOutcome>;

const MAX_CODE_LENGTH = 512;

/** Callback: consume the state once, exchange the code, verify who connected, store the token encrypted. */
export const completeConnect =
  (deps: CompleteConnectDeps): CompleteConnect =>
  async (input) => {
    if (input.error !== undefined) throw new AuthorizationDeniedError('The PIM did not authorize the app');
    if (!input.code || !input.state) throw new MissingParameterError('The callback needs both code and state');
    if (!looksLikeState(input.state)) throw new UnknownStateError('The state is not one this app issues');
    if (input.code.length > MAX_CODE_LENGTH || !/^[\w-]+$/.test(input.code)) {
      throw new MissingParameterError('The authorization code is malformed');
    }
    if (!input.browserBinding) throw new BrowserMismatchError('This browser did not start the connection');

    const stateHash = sha256Hex(input.state);
    let authorization: AuthorizationState;
    try {
      authorization = await deps.states.consume(stateHash, sha256Hex(input.browserBinding), input.now);
    } catch (error) {
      if (error instanceof StateAlreadyUsedError) return replayed(deps, error, stateHash, input.now);
      throw error;
    }

    const { pimUrl, pimHost } = authorization;
    try {
      return await connect(deps, { ...input, code: input.code }, authorization, stateHash);
    } catch (error) {
      throw withPim(error, { url: pimUrl, host: pimHost });
    }
  };

async function connect(
  deps: CompleteConnectDeps,
  input: CompleteConnectInput & { readonly code: string },
  { pimUrl, pimHost, requestedScopes }: AuthorizationState,
  stateHash: string,
): Promise<CompleteConnectOutcome> {
  const credentials = await deps.credentials.get(pimHost);
  if (!credentials) throw new PimNotRegisteredError(pimUrl);
  // Beside the token exchange, not after it: the KMS data key and the PIM's OpenID key.
  if (requestedScopes.includes('openid')) deps.openId.prefetch(pimUrl);
  const [exchanged, sealer] = await Promise.all([
    exchangeCode(deps, { pimUrl, pimHost, code: input.code, credentials }),
    deps.cipher.prepare(pimHost),
  ]);
  const { token } = exchanged;
  const identity = token.idToken
    ? await deps.openId.verify(token.idToken, { pimUrl, clientId: exchanged.credentials.clientId, now: input.now })
    : undefined;
  const connectedBy = identity ? connectedByFrom(identity) : undefined;
  const tokenVersion = tokenVersionOf(token.accessToken);
  const stored = await deps.connections.saveAuthorization({
    pimHost,
    pimUrl,
    encryptedToken: sealer.seal(token.accessToken),
    tokenVersion,
    scopes: token.scopes,
    connectedBy,
    connectedAt: new Date(input.now * 1000).toISOString(),
    stateHash,
  });
  const catalog = await deps.connectCatalog?.({ pimHost, accessToken: token.accessToken });
  const eventPlatformStep = deps.subscribeToEventPlatform
    ? await eventPlatformStepOf(deps.subscribeToEventPlatform, {
        pimUrl,
        pimHost,
        clientId: exchanged.credentials.clientId,
        accessToken: token.accessToken,
        tokenVersion,
        ...(connectedBy?.email ? { connectedByEmail: connectedBy.email } : {}),
      })
    : undefined;
  const eventPlatform = eventPlatformStep?.kind === 'done' ? eventPlatformStep.eventPlatform : undefined;
  const sync = connectedSyncOf(stored, healthContext(deps, input.now, requestedScopes), {
    ...(catalog ? { catalog } : {}),
    ...(eventPlatform ? { eventPlatform } : {}),
  });
  return {
    kind: 'connected',
    tokenVersion,
    pimUrl,
    pimHost,
    ...scopeSummary(requestedScopes, token.scopes),
    ...(connectedBy ? { connectedBy } : {}),
    ...(catalog ? { catalog } : {}),
    ...(eventPlatformStep ? { eventPlatformStep } : {}),
    ...(eventPlatform ? { eventPlatform } : {}),
    sync,
  };
}

function healthContext(deps: CompleteConnectDeps, now: number, requestedScopes: readonly string[]) {
  return { now: new Date(now * 1000), scheduleMinutes: deps.syncScheduleMinutes, requestedScopes };
}

/** Best effort: the connection is stored already, and a failing Event Platform step must not fail it. */
async function eventPlatformStepOf(
  subscribe: SubscribeToEventPlatform,
  input: Parameters<SubscribeToEventPlatform>[0],
): Promise<EventPlatformStep> {
  try {
    return { kind: 'done', ...(await subscribe(input)) };
  } catch (error) {
    return { kind: 'error', error };
  }
}

/** A refresh or Back on the callback after success: show the result again, exchange nothing, write nothing. */
async function replayed(
  deps: CompleteConnectDeps,
  error: StateAlreadyUsedError,
  stateHash: string,
  now: number,
): Promise<CompleteConnectOutcome> {
  const connection = await deps.connections.get(error.pimHost);
  if (connection?.status !== 'active' || connection.lastStateHash !== stateHash) throw error;
  const catalog = deps.connectCatalog ? storedCatalogView(connection) : undefined;
  return {
    kind: 'already-connected',
    pimUrl: connection.pimUrl,
    pimHost: connection.pimHost,
    grantedScopes: connection.scopes,
    missingScopes: [],
    ...(connection.connectedBy ? { connectedBy: connection.connectedBy } : {}),
    ...(catalog ? { catalog } : {}),
    ...(connection.eventPlatform ? { eventPlatform: connection.eventPlatform } : {}),
    sync: connectedSyncOf(connection, healthContext(deps, now, deps.appScopes)),
  };
}

function scopeSummary(requested: readonly string[], granted: readonly string[]) {
  const { granted: grantedScopes, missing: missingScopes } = compareScopes(requested, granted);
  return { grantedScopes, missingScopes };
}
