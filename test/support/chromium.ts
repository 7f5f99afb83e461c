import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const DEFAULT_PATH = '/usr/bin/chromium';

// No update checks, sync, QUIC or first-run UI: the tests run offline and must not talk to Google.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** Debian's Chromium (or CHROMIUM_PATH). Missing is a failure, never a skip: the browser test must run in CI. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.CHROMIUM_PATH?.trim() || DEFAULT_PATH;
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}. Install it with \`apt-get install -y chromium\` (Debian; .ci/run does this), ` +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  return path;
}

/** Headless Chromium through playwright-core; launch() gives each browser a fresh temporary profile. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ARGS });
}
