import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EventPlatformState } from './event-platform/model';
import { generateOpenIdKeys, type OpenIdKeys } from './openid-keys';

export interface StoredApp {
  name: string;
  clientId: string;
  clientSecret: string;
  activateUrl: string;
  callbackUrl: string;
}

export interface StoredCode {
  code: string;
  clientId: string;
  /** Sandbox time in seconds. */
  issuedAt: number;
}

export interface StoredToken {
  token: string;
  clientId: string;
  /** The scope string the token was issued for: reused only while it is unchanged. */
  scope: string;
}

/** A catalog for Apps: created by an app through the API, its product selection and status set by a PIM user. */
export interface StoredCatalog {
  /** A v4 UUID. */
  id: string;
  name: string;
  /** The app whose token created it: only that app's tokens see it. */
  clientId: string;
  enabled: boolean;
  managedCurrencies: string[];
  managedLocales: string[];
  /** Selected families. The criteria are ANDed; an empty list does not restrict, so no criterion selects all. */
  families: string[];
  /** Selected categories: a product in one of them or in one of their children. */
  categories: string[];
  /** Akeneo's "Status: enabled" criterion, which a new catalog starts with. */
  enabledOnly: boolean;
}

/** Everything that survives a restart when a state file is configured. */
export interface SandboxState {
  version: 1;
  clockOffsetSeconds: number;
  apps: StoredApp[];
  /** clientId → the connected app's authorization scopes (sorted). */
  connections: Record<string, string[]>;
  /** clientId → the user's consented authentication scopes (always contains openid). */
  consents: Record<string, string[]>;
  /** `${username}|${clientId}` → sub. Never changes once created. */
  subjects: Record<string, string>;
  codes: StoredCode[];
  tokens: StoredToken[];
  /** Tokens of disconnected apps: they get the "disconnected" 401. */
  revokedTokens: string[];
  openIdKeys: OpenIdKeys;
  catalogs: StoredCatalog[];
  /** Subscribers, subscriptions and permissions of the Event Platform; absent until first used. */
  eventPlatform?: EventPlatformState;
  /** Every `POST /connect/apps/v1/scopes/update`, in order; absent until the first. */
  scopesUpdateRequests?: ScopesUpdateRequest[];
  /** clientId → the new scopes an app asked for ("outdated scopes" flag); cleared by the next authorization. */
  outdatedScopes?: Record<string, string[]>;
}

/** One call of the app's notice that it needs more scopes: the scopes it named, as the PIM kept them, and when. */
export interface ScopesUpdateRequest {
  clientId: string;
  /** The requested list, known scopes only, sorted. */
  scopes: string[];
  /** Whether it added anything to the grant (and so flagged the app). */
  flagged: boolean;
  at: number;
}

function emptyState(): SandboxState {
  return {
    version: 1,
    clockOffsetSeconds: 0,
    apps: [],
    connections: {},
    consents: {},
    subjects: {},
    codes: [],
    tokens: [],
    revokedTokens: [],
    openIdKeys: generateOpenIdKeys(),
    catalogs: [],
  };
}

/** Holds the sandbox state and writes it to the state file after each change. */
export class SandboxStore {
  private constructor(
    readonly state: SandboxState,
    private readonly stateFile: string | undefined,
  ) {}

  static open(stateFile: string | undefined): SandboxStore {
    if (stateFile && existsSync(stateFile)) {
      const loaded = JSON.parse(readFileSync(stateFile, 'utf8')) as SandboxState;
      if (loaded.version !== 1) throw new Error(`Unsupported sandbox state file version in ${stateFile}`);
      // State files written before catalogs existed.
      loaded.catalogs ??= [];
      return new SandboxStore(loaded, stateFile);
    }
    const store = new SandboxStore(emptyState(), stateFile);
    store.save();
    return store;
  }

  /** Sandbox time in seconds, with microseconds. */
  nowSeconds(): number {
    const microseconds = Math.round((performance.timeOrigin + performance.now()) * 1000);
    return microseconds / 1_000_000 + this.state.clockOffsetSeconds;
  }

  save(): void {
    if (!this.stateFile) return;
    const temporaryFile = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(temporaryFile, JSON.stringify(this.state), { mode: 0o600 });
    chmodSync(temporaryFile, 0o600);
    renameSync(temporaryFile, this.stateFile);
  }

  findApp(clientId: string): StoredApp | undefined {
    return this.state.apps.find((app) => app.clientId === clientId);
  }

  currentToken(clientId: string): StoredToken | undefined {
    return this.state.tokens.find((token) => token.clientId === clientId);
  }
}
