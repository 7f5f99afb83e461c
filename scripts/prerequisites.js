#!/usr/bin/env node
// What the tests need from the machine beyond node_modules: Java 17+ (DynamoDB Local) and Chromium (the browser
// tests). Missing ones are installed from the system's package manager where this machine can (Debian or Ubuntu,
// as root or with passwordless sudo); elsewhere it stops, before any test runs, with the command to run.
// `npm test` (scripts/run-tests.js) asks only for what the selected suites need; `.ci/run` asks for both:
//   node scripts/prerequisites.js [--java] [--chromium]      (no flag: both)
const { spawnSync } = require('node:child_process');
const { accessSync, constants, readFileSync, statSync } = require('node:fs');
const { delimiter, join } = require('node:path');

const MIN_JAVA = 17;
/** The Debian/Ubuntu packages that provide each need: the one list, for npm test and CI alike. */
const PACKAGES = { java: 'default-jre-headless', chromium: 'chromium' };
/** Looked up on PATH (Debian's is /usr/bin/chromium), then the macOS apps. */
const CHROMIUM_COMMANDS = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
const CHROMIUM_APPS = [
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** The machine as the checks see it; the unit test passes a fake one. */
function realSystem(env = process.env) {
  const isExecutable = (path) => {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  };
  return {
    env,
    platform: process.platform,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    isExecutable,
    which(command) {
      for (const directory of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
        const candidate = join(directory, command);
        if (isExecutable(candidate)) return candidate;
      }
      return undefined;
    },
    osRelease() {
      try {
        return readFileSync('/etc/os-release', 'utf8');
      } catch {
        return '';
      }
    },
    /** `java -version`'s first line, or undefined when there is no java to run. */
    javaVersionLine() {
      const result = spawnSync('java', ['-version'], { env, encoding: 'utf8' });
      if (result.error) return undefined;
      return `${result.stderr}${result.stdout}`.split('\n')[0]?.trim() ?? '';
    },
    passwordlessSudo() {
      return spawnSync('sudo', ['-n', 'true'], { env, stdio: 'ignore' }).status === 0;
    },
    /** Runs a command quietly; its output is shown only when it fails. */
    run(command, args) {
      const result = spawnSync(command, args, {
        env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
      return { ok: result.status === 0, output };
    },
    log: (line) => console.log(line),
  };
}

/** The Java major version in a `java -version` line: 17 for "17.0.15", 8 for "1.8.0_292". */
function javaMajor(line) {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(line ?? '');
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

function checkJava(system) {
  const line = system.javaVersionLine();
  if (line === undefined) return { ok: false, problem: 'Java (for DynamoDB Local): no `java` on PATH' };
  const major = javaMajor(line);
  if (major === undefined || major < MIN_JAVA) {
    return {
      ok: false,
      problem: `Java (for DynamoDB Local): \`java -version\` says "${line}"; DynamoDB Local needs Java ${MIN_JAVA} or newer`,
    };
  }
  return { ok: true, found: `Java: ${line}` };
}

/** CHROMIUM_PATH if set (it must then be right: it is what the tests launch), else PATH, else the macOS apps. */
function checkChromium(system) {
  const configured = system.env.CHROMIUM_PATH?.trim();
  if (configured) {
    if (system.isExecutable(configured)) return { ok: true, path: configured, found: `Chromium: ${configured}` };
    return {
      ok: false,
      fatal: true,
      problem: `Chromium: CHROMIUM_PATH is ${configured}, which is not an executable file`,
    };
  }
  const found =
    CHROMIUM_COMMANDS.map((command) => system.which(command)).find((path) => path !== undefined) ??
    CHROMIUM_APPS.find((path) => system.isExecutable(path));
  if (found !== undefined) return { ok: true, path: found, found: `Chromium: ${found}` };
  return { ok: false, problem: `Chromium (for the browser tests): no ${CHROMIUM_COMMANDS.join(', ')} on PATH` };
}

/** How this machine can install packages: `{ prefix }` for apt-get, or `{ reason }` why it cannot. */
function installer(system) {
  if (system.platform !== 'linux') return { reason: `this is ${system.platform}, not Debian or Ubuntu` };
  const release = system.osRelease();
  const ids = /^(?:ID|ID_LIKE)=(.*)$/gm;
  const family = [...release.matchAll(ids)].map((match) => match[1].replace(/"/g, '')).join(' ');
  if (!/\b(debian|ubuntu)\b/.test(family)) return { reason: 'this Linux is neither Debian nor Ubuntu' };
  if (system.which('apt-get') === undefined) return { reason: 'apt-get is not on PATH' };
  if (system.isRoot) return { prefix: [] };
  if (system.which('sudo') !== undefined && system.passwordlessSudo()) return { prefix: ['sudo', '-n'] };
  return { reason: 'installing needs root, and sudo is missing or asks for a password' };
}

/** What to tell a person when something is missing and this run will not install it. */
function instructions(missing, system, reason, installLine = installCommand(missing, system)) {
  const lines = [`The selected tests need what this machine lacks (${reason}):`];
  for (const need of missing) lines.push(`  - ${need.problem}`);
  if (installLine) lines.push(installLine);
  const chromium = missing.find((need) => need.name === 'chromium');
  if (chromium?.fatal) lines.push('Point CHROMIUM_PATH at a Chromium or Chrome binary, or unset it.');
  else if (chromium) lines.push('Or set CHROMIUM_PATH to a Chromium or Chrome binary.');
  lines.push('(npm test -- test/unit needs neither.)');
  return lines.join('\n');
}

function installCommand(missing, system) {
  const names = missing.filter((need) => !need.fatal).map((need) => need.name);
  if (names.length === 0) return undefined;
  if (system.platform === 'darwin') {
    return [
      names.includes('java') ? 'brew install openjdk@17 (then put $(brew --prefix openjdk@17)/bin first on PATH)' : '',
      names.includes('chromium') ? 'brew install --cask chromium' : '',
    ]
      .filter(Boolean)
      .map((command) => `Install: ${command}`)
      .join('\n');
  }
  const sudo = system.isRoot ? '' : 'sudo ';
  const packages = names.map((name) => PACKAGES[name]).join(' ');
  return `Install: ${sudo}apt-get update && ${sudo}apt-get install -y ${packages}`;
}

/**
 * Checks (and where it can, installs) what `needs` asks for. Returns `{ ok: true, env, found }`: the settings the
 * tests should run with (CHROMIUM_PATH as found) and one line per need found; or `{ ok: false, message }` saying
 * what to do.
 */
function ensurePrerequisites(needs, system = realSystem()) {
  const checks = { java: () => checkJava(system), chromium: () => checkChromium(system) };
  const wanted = Object.keys(checks).filter((name) => needs[name]);
  const results = Object.fromEntries(wanted.map((name) => [name, checks[name]()]));
  const missingNow = () => wanted.filter((name) => !results[name].ok).map((name) => ({ name, ...results[name] }));
  const missing = missingNow();
  if (missing.length > 0) {
    if (missing.some((need) => need.fatal)) {
      return { ok: false, message: instructions(missing, system, 'nothing was installed') };
    }
    const install = installer(system);
    if (install.reason !== undefined) return { ok: false, message: instructions(missing, system, install.reason) };
    const failure = installMissing(missing, system, install.prefix);
    if (failure !== undefined) return { ok: false, message: failure };
    for (const need of missing) results[need.name] = checks[need.name]();
    const still = missingNow();
    if (still.length > 0) {
      const java = still.some((need) => need.name === 'java');
      const sudo = system.isRoot ? '' : 'sudo ';
      const line = java
        ? `Install: ${sudo}apt-get install -y openjdk-${MIN_JAVA}-jre-headless, and put its bin first on PATH`
        : undefined;
      return { ok: false, message: instructions(still, system, 'installed, but still not usable', line) };
    }
  }
  return {
    ok: true,
    env: results.chromium?.ok ? { CHROMIUM_PATH: results.chromium.path } : {},
    found: wanted.map((name) => results[name].found),
  };
}

/** apt-get update, then one install per missing need, each said in one line. Returns a message if one fails. */
function installMissing(missing, system, prefix) {
  const apt = (args) => {
    const [command, ...rest] = [...prefix, 'apt-get', ...args];
    return system.run(command, rest);
  };
  const steps = [
    { line: 'apt-get update (the package lists)', args: ['update', '-qq'] },
    ...missing.map((need) => ({
      line: `${need.name === 'java' ? `Java ${MIN_JAVA}+ for DynamoDB Local` : 'Chromium for the browser tests'}: apt-get install -y ${PACKAGES[need.name]}`,
      args: ['install', '-y', '-qq', PACKAGES[need.name]],
    })),
  ];
  for (const step of steps) {
    system.log(`Prerequisites: ${step.line}`);
    const result = apt(step.args);
    if (!result.ok) {
      const tail = result.output.trim().split('\n').slice(-5).join('\n');
      return `${instructions(missing, system, `apt-get ${step.args[0]} failed`)}\napt-get said:\n${tail}`;
    }
  }
  return undefined;
}

module.exports = { ensurePrerequisites, javaMajor, realSystem, PACKAGES };

if (require.main === module) {
  const flags = process.argv.slice(2);
  const all = flags.length === 0;
  const outcome = ensurePrerequisites({
    java: all || flags.includes('--java'),
    chromium: all || flags.includes('--chromium'),
  });
  if (!outcome.ok) {
    console.error(outcome.message);
    process.exit(1);
  }
  for (const line of outcome.found) console.log(line);
}
