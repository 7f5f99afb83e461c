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

/**
 * CHROMIUM_PATH, which `npm test` sets to the Chromium it found or installed (scripts/prerequisites.js), else
 * Debian's. Missing is a failure, never a skip: the browser test must run in CI. Suites launch Chromium only through
 * this file: that is how `npm test` knows they need it (scripts/test-needs.js).
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env.CHROMIUM_PATH?.trim() || DEFAULT_PATH;
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}. Run the tests with \`npm test\`, which finds Chromium or installs it ` +
        '(Debian: `apt-get install -y chromium`), or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  return path;
}

/** Headless Chromium through playwright-core; launch() gives each browser a fresh temporary profile. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ARGS });
}
