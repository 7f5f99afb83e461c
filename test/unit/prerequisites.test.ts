import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Plain CommonJS scripts (they run before node_modules may exist): loaded with require, typed here.
interface FakeMachine {
  platform?: string;
  isRoot?: boolean;
  osRelease?: string;
  env?: Record<string, string>;
  /** Executable files, by full path. */
  files?: string[];
  /** Commands on PATH, by name → full path. */
  path?: Record<string, string>;
  java?: string;
  passwordlessSudo?: boolean;
  /** What each `apt-get install <package>` does to the machine; absent means it fails. */
  installs?: Record<string, (machine: FakeMachine) => void>;
}
interface Outcome {
  ok: boolean;
  message?: string;
  env?: Record<string, string>;
  found?: string[];
}
const { ensurePrerequisites, javaMajor } = require('../../scripts/prerequisites') as {
  ensurePrerequisites: (needs: { java?: boolean; chromium?: boolean }, system: unknown) => Outcome;
  javaMajor: (line: string) => number | undefined;
};
const { needsOf } = require('../../scripts/test-needs') as {
  needsOf: (files: string[]) => { dynamodbLocal: boolean; chromium: boolean };
};

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n';
const JAVA_17 = 'openjdk version "17.0.15" 2025-04-15';
const ROOT = join(__dirname, '..', '..');

/** A machine for the script to look at: no real apt-get, no real java; every command it runs is recorded. */
function fakeSystem(machine: FakeMachine) {
  const ran: string[] = [];
  const logged: string[] = [];
  const system = {
    env: machine.env ?? {},
    platform: machine.platform ?? 'linux',
    isRoot: machine.isRoot ?? true,
    isExecutable: (file: string) => (machine.files ?? []).includes(file),
    which: (command: string) => machine.path?.[command],
    osRelease: () => machine.osRelease ?? DEBIAN,
    javaVersionLine: () => machine.java,
    passwordlessSudo: () => machine.passwordlessSudo === true,
    run: (command: string, args: string[]) => {
      ran.push([command, ...args].join(' '));
      if (!args.includes('install')) return { ok: true, output: '' };
      const installing = args.at(-1) ?? '';
      const install = machine.installs?.[installing];
      if (!install) return { ok: false, output: `E: Unable to locate package ${installing}` };
      install(machine);
      return { ok: true, output: '' };
    },
    log: (line: string) => logged.push(line),
  };
  return { system, ran, logged };
}

const withApt = { 'apt-get': '/usr/bin/apt-get' };

describe('the test prerequisites (scripts/prerequisites.js)', () => {
  it('asks nothing of the machine when the selected suites need neither Java nor Chromium', () => {
    const { system, ran } = fakeSystem({ platform: 'darwin', isRoot: false });

    expect(ensurePrerequisites({ java: false, chromium: false }, system)).toEqual({ ok: true, env: {}, found: [] });
    expect(ran).toEqual([]);
  });

  it('finds Chromium on PATH wherever it is, and hands its path to the tests', () => {
    const { system, ran } = fakeSystem({ java: JAVA_17, path: { chromium: '/opt/chromium/bin/chromium' } });

    const outcome = ensurePrerequisites({ java: true, chromium: true }, system);

    expect(outcome).toEqual({
      ok: true,
      env: { CHROMIUM_PATH: '/opt/chromium/bin/chromium' },
      found: [`Java: ${JAVA_17}`, 'Chromium: /opt/chromium/bin/chromium'],
    });
    expect(ran).toEqual([]);
  });

  it('prefers CHROMIUM_PATH to what is on PATH', () => {
    const { system } = fakeSystem({
      env: { CHROMIUM_PATH: '/home/me/chrome' },
      files: ['/home/me/chrome'],
      path: { chromium: '/usr/bin/chromium' },
    });

    expect(ensurePrerequisites({ chromium: true }, system).env).toEqual({ CHROMIUM_PATH: '/home/me/chrome' });
  });

  it('stops, installing nothing, when CHROMIUM_PATH points nowhere', () => {
    const { system, ran } = fakeSystem({
      env: { CHROMIUM_PATH: '/nowhere/chromium' },
      path: { chromium: '/usr/bin/chromium', ...withApt },
      installs: { chromium: () => undefined },
    });

    const outcome = ensurePrerequisites({ chromium: true }, system);

    expect(outcome.ok).toBe(false);
    expect(outcome.message).toContain('CHROMIUM_PATH is /nowhere/chromium, which is not an executable file');
    expect(outcome.message).toContain('Point CHROMIUM_PATH at a Chromium or Chrome binary, or unset it.');
    expect(ran).toEqual([]);
  });

  it('installs what is missing on Debian as root, one line each, then uses it', () => {
    const { system, ran, logged } = fakeSystem({
      path: { ...withApt },
      installs: {
        'default-jre-headless': (machine) => {
          machine.java = JAVA_17;
        },
        chromium: (machine) => {
          machine.path = { ...machine.path, chromium: '/usr/bin/chromium' };
        },
      },
    });

    const outcome = ensurePrerequisites({ java: true, chromium: true }, system);

    expect(outcome).toMatchObject({ ok: true, env: { CHROMIUM_PATH: '/usr/bin/chromium' } });
    expect(ran).toEqual([
      'apt-get update -qq',
      'apt-get install -y -qq default-jre-headless',
      'apt-get install -y -qq chromium',
    ]);
    expect(logged).toEqual([
      'Prerequisites: apt-get update (the package lists)',
      'Prerequisites: Java 17+ for DynamoDB Local: apt-get install -y default-jre-headless',
      'Prerequisites: Chromium for the browser tests: apt-get install -y chromium',
    ]);
  });

  it('installs through passwordless sudo on Ubuntu when not root', () => {
    const { system, ran } = fakeSystem({
      isRoot: false,
      osRelease: 'ID=ubuntu\nID_LIKE=debian\n',
      path: { ...withApt, sudo: '/usr/bin/sudo' },
      passwordlessSudo: true,
      installs: {
        chromium: (machine) => {
          machine.path = { ...machine.path, chromium: '/usr/bin/chromium' };
        },
      },
    });

    expect(ensurePrerequisites({ chromium: true }, system).ok).toBe(true);
    expect(ran).toEqual(['sudo -n apt-get update -qq', 'sudo -n apt-get install -y -qq chromium']);
  });

  it('stops with the exact command and the CHROMIUM_PATH alternative when it may not install', () => {
    const { system, ran } = fakeSystem({
      isRoot: false,
      path: { ...withApt, sudo: '/usr/bin/sudo' },
      passwordlessSudo: false,
      java: JAVA_17,
    });

    const outcome = ensurePrerequisites({ java: true, chromium: true }, system);

    expect(outcome.ok).toBe(false);
    expect(outcome.message?.split('\n')).toEqual([
      'The selected tests need what this machine lacks (installing needs root, and sudo is missing or asks for a password):',
      '  - Chromium (for the browser tests): no chromium, chromium-browser, google-chrome-stable, google-chrome on PATH',
      'Install: sudo apt-get update && sudo apt-get install -y chromium',
      'Or set CHROMIUM_PATH to a Chromium or Chrome binary.',
      '(npm test -- test/unit needs neither.)',
    ]);
    expect(ran).toEqual([]);
  });

  it('says that a Java older than 17 is too old, and gives the brew commands on macOS', () => {
    const { system, ran } = fakeSystem({ platform: 'darwin', isRoot: false, java: 'java version "1.8.0_292"' });

    const outcome = ensurePrerequisites({ java: true, chromium: true }, system);

    expect(outcome.ok).toBe(false);
    expect(outcome.message).toContain('(this is darwin, not Debian or Ubuntu)');
    expect(outcome.message).toContain(
      '`java -version` says "java version "1.8.0_292""; DynamoDB Local needs Java 17 or newer',
    );
    expect(outcome.message).toContain('Install: brew install openjdk@17');
    expect(outcome.message).toContain('Install: brew install --cask chromium');
    expect(outcome.message).toContain('Or set CHROMIUM_PATH');
    expect(ran).toEqual([]);
  });

  it('stops when the installed Java is still older than 17, naming the package that is not', () => {
    const { system } = fakeSystem({
      java: 'openjdk version "11.0.22" 2024-01-16',
      path: { ...withApt },
      installs: { 'default-jre-headless': () => undefined },
    });

    const outcome = ensurePrerequisites({ java: true }, system);

    expect(outcome.ok).toBe(false);
    expect(outcome.message).toContain('installed, but still not usable');
    expect(outcome.message).toContain('Install: apt-get install -y openjdk-17-jre-headless');
  });

  it('stops with what apt-get said when a package cannot be installed', () => {
    const { system } = fakeSystem({ java: JAVA_17, path: { ...withApt }, installs: {} });

    const outcome = ensurePrerequisites({ chromium: true }, system);

    expect(outcome.ok).toBe(false);
    expect(outcome.message).toContain('apt-get install failed');
    expect(outcome.message).toContain('E: Unable to locate package chromium');
  });

  it('reads the Java major version from both version formats', () => {
    expect(javaMajor(JAVA_17)).toBe(17);
    expect(javaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(javaMajor('java version "1.8.0_292"')).toBe(8);
    expect(javaMajor('Error: could not find libjava.so')).toBeUndefined();
  });
});

describe('what the selected suites need (scripts/test-needs.js)', () => {
  it('follows imports: browser suites need Chromium and DynamoDB Local, app suites DynamoDB Local, unit ones neither', () => {
    const file = (path: string) => join(ROOT, 'test', path);

    expect(needsOf([file('e2e/browser.test.ts')])).toEqual({ dynamodbLocal: true, chromium: true });
    expect(needsOf([file('integration/connect-flow.test.ts')])).toEqual({ dynamodbLocal: true, chromium: false });
    expect(needsOf([file('unit/core/pim-url.test.ts'), file('sandbox/products-api.test.ts')])).toEqual({
      dynamodbLocal: false,
      chromium: false,
    });
  });
});

describe('npm test on a machine without Chromium', () => {
  it('stops before jest starts, with the instruction and a closing count', () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'no-tools-'));
    try {
      const run = spawnSync(process.execPath, ['scripts/run-tests.js', 'test/e2e/browser.test.ts'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, PATH: emptyPath, CHROMIUM_PATH: join(emptyPath, 'chromium') },
      });

      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`CHROMIUM_PATH is ${join(emptyPath, 'chromium')}, which is not an executable file`);
      expect(run.stderr).toContain('no `java` on PATH');
      expect(run.stdout.trim()).toBe('0 passed, 1 failed');
      expect(run.stderr).not.toMatch(/Test Suites:|PASS|FAIL/);
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
    }
  });
});
