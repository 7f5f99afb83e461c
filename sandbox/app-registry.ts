import { randomUUID } from 'node:crypto';
import { MAX_CUSTOM_APPS } from './custom-app-validation';
import { randomPimCode } from './random-code';
import type { SandboxStore, StoredApp } from './sandbox-state';
import type { SandboxApp, SandboxAppInput } from './types';

function assertValidUrl(field: string, value: string): void {
  if (value.length > 255 || !URL.canParse(value)) {
    throw new Error(`Sandbox app ${field} must be a valid URL of at most 255 characters, got "${value}"`);
  }
}

function validateAppInput(input: SandboxAppInput): void {
  if (input.name.length < 3 || input.name.length > 255) {
    throw new Error(`Sandbox app name must have 3 to 255 characters, got "${input.name}"`);
  }
  assertValidUrl('activateUrl', input.activateUrl);
  assertValidUrl('callbackUrl', input.callbackUrl);
}

export function toSandboxApp(app: StoredApp): SandboxApp {
  return Object.freeze({ ...app });
}

export function registerApp(store: SandboxStore, input: SandboxAppInput): SandboxApp {
  validateAppInput(input);
  if (input.clientId && store.findApp(input.clientId)) {
    throw new Error(`A sandbox app with client id ${input.clientId} already exists`);
  }
  if (store.state.apps.length >= MAX_CUSTOM_APPS) {
    throw new Error(`The PIM allows at most ${MAX_CUSTOM_APPS} custom apps`);
  }
  const app: StoredApp = {
    name: input.name,
    clientId: input.clientId ?? randomUUID(),
    clientSecret: input.clientSecret ?? randomPimCode(),
    activateUrl: input.activateUrl,
    callbackUrl: input.callbackUrl,
  };
  store.state.apps.push(app);
  store.save();
  return toSandboxApp(app);
}

/**
 * Registers the apps given at start. With a loaded state file, an app that is already stored (same client id,
 * or same name when no client id is given) is kept with its credentials; only its URLs are refreshed.
 */
export function registerStartupApps(store: SandboxStore, inputs: readonly SandboxAppInput[]): void {
  for (const input of inputs) {
    const existing = input.clientId
      ? store.findApp(input.clientId)
      : store.state.apps.find((app) => app.name === input.name);
    if (!existing) {
      registerApp(store, input);
      continue;
    }
    validateAppInput(input);
    existing.name = input.name;
    existing.activateUrl = input.activateUrl;
    existing.callbackUrl = input.callbackUrl;
    if (input.clientSecret) existing.clientSecret = input.clientSecret;
    store.save();
  }
}

export function requireApp(store: SandboxStore, clientId: string): StoredApp {
  const app = store.findApp(clientId);
  if (!app) throw new Error(`Unknown sandbox app ${clientId}`);
  return app;
}

export function regenerateAppSecret(store: SandboxStore, clientId: string): string {
  const app = requireApp(store, clientId);
  app.clientSecret = randomPimCode();
  store.save();
  return app.clientSecret;
}
