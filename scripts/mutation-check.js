#!/usr/bin/env node
// `npm run mutation`: breaks one rule the README promises at a time (a named mutant: exact text replacements, each
// of which must match exactly once) in a temporary copy of the working tree, runs only the tests that claim the
// rule, and fails if a mutant survives them. The working tree is never touched: a killed run leaves no mutant behind.
//   node scripts/mutation-check.js [--only name,name] [--list]
const { spawn, spawnSync } = require('node:child_process');
const { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } =
  require('node:fs');
const { tmpdir } = require('node:os');
const { dirname, join, resolve } = require('node:path');
const { ensurePrerequisites } = require('./prerequisites');
const { needsOf } = require('./test-needs');

const ROOT = resolve(__dirname, '..');

const MUTANTS = [
  {
    name: 'fair-use-concurrency',
    rule: 'at most 4 concurrent calls per connection',
    file: 'functions/core/fair-use.ts',
    replace: [
      [
        'export const MAX_CONCURRENT_CALLS_PER_CONNECTION = 4;',
        'export const MAX_CONCURRENT_CALLS_PER_CONNECTION = 64;',
      ],
    ],
    tests: ['test/integration/fair-use-concurrency.test.ts', 'test/integration/pim-writes.test.ts'],
  },
  {
    name: 'call-slot-taken-while-leased',
    rule: "a PIM's call slot is taken only when it is free or its lease has ended, across function instances",
    file: 'functions/adapters/call-slots/dynamodb.ts',
    replace: [
      [
        "ConditionExpression: 'attribute_not_exists(#owner) OR expiresAt < :now',",
        "ConditionExpression: 'attribute_not_exists(#owner) OR expiresAt < :now OR expiresAt >= :now',",
      ],
    ],
    tests: ['test/integration/call-slots.test.ts', 'test/integration/fair-use-across-functions.test.ts'],
  },
  {
    name: 'call-slot-lease-never-ends',
    rule: 'the call slots of an instance that never frees them are free again once their leases end',
    file: 'functions/adapters/call-slots/dynamodb.ts',
    replace: [["ExpressionAttributeValues: { ':now': leaseClock(now) },", "ExpressionAttributeValues: { ':now': 0 },"]],
    tests: ['test/integration/call-slots.test.ts'],
  },
  {
    name: 'call-slot-freed-by-anyone',
    rule: 'a call slot is freed only by the lease that holds it',
    file: 'functions/adapters/call-slots/dynamodb.ts',
    replace: [
      [
        "ConditionExpression: '#owner = :owner AND (attribute_not_exists(waiter) OR waiterUntil < :nowMs)',",
        "ConditionExpression: '(#owner = :owner OR #owner <> :owner) AND (attribute_not_exists(waiter) OR waiterUntil < :nowMs)',",
      ],
    ],
    tests: ['test/integration/call-slots.test.ts'],
  },
  {
    name: 'call-slot-freed-past-its-waiter',
    rule: 'a released call slot goes to the call standing in line for it, so a waiting call is never overtaken',
    file: 'functions/adapters/call-slots/dynamodb.ts',
    replace: [
      [
        "ConditionExpression: '#owner = :owner AND (attribute_not_exists(waiter) OR waiterUntil < :nowMs)',",
        "ConditionExpression: '#owner = :owner',",
      ],
    ],
    tests: ['test/integration/call-slots.test.ts'],
    // The tests that claim the rule; the others wait out their timeouts on this mutant (minutes, no verdict more).
    testNamePattern: 'hands the slot over|no waiter starves',
  },
  {
    name: 'revoke-with-fresh-token-version',
    rule: 'a 401 revokes only the token version the run used',
    file: 'functions/pim-access/pim-access.ts',
    replace: [
      [
        '      tokenVersion: connection.tokenVersion,',
        '      tokenVersion: (await store.get(connection.pimHost))?.tokenVersion ?? connection.tokenVersion,',
      ],
    ],
    tests: ['test/integration/sync-revocation.test.ts', 'test/integration/pim-access.test.ts'],
  },
  {
    name: 'mark-inactive-any-token-version',
    rule: "markInactive's write is conditional on the token version",
    file: 'functions/adapters/connection-store/dynamodb-access.ts',
    replace: [
      [
        "ConditionExpression: 'tokenVersion = :tokenVersion AND #status = :active',",
        "ConditionExpression: '(tokenVersion = :tokenVersion OR tokenVersion <> :tokenVersion) AND #status = :active',",
      ],
    ],
    tests: ['test/integration/sync-revocation.test.ts', 'test/integration/pim-access.test.ts'],
  },
  {
    name: 'credentials-cached-a-day',
    rule: 'a rotated secret is picked up within credentialsMaxAgeSeconds',
    file: 'functions/adapters/credentials-registry/secrets-manager.ts',
    replace: [['        maxAge: this.maxAgeSeconds,', '        maxAge: 86_400,']],
    tests: ['test/integration/credentials-retry.test.ts'],
  },
  {
    name: 'state-consumed-twice',
    rule: 'an authorization state is consumed once',
    file: 'functions/adapters/state-store/dynamodb.ts',
    replace: [['AND attribute_not_exists(consumedAt) AND expiresAt', 'AND expiresAt']],
    tests: ['test/integration/dynamodb-stores.test.ts'],
  },
  {
    name: 'state-never-expires',
    rule: 'an expired state is refused before the TTL deletes it',
    file: 'functions/adapters/state-store/dynamodb.ts',
    replace: [['AND expiresAt > :now AND', 'AND']],
    tests: ['test/integration/dynamodb-stores.test.ts'],
  },
  {
    name: 'aes-gcm-without-pim-host',
    rule: 'a sealed token opens only for its PIM (AES-GCM additional data)',
    file: 'functions/adapters/token-cipher/aes-gcm.ts',
    replace: [
      ["  cipher.setAAD(Buffer.from(additionalData, 'utf8'));", '  cipher.setAAD(Buffer.alloc(0));'],
      ["  decipher.setAAD(Buffer.from(additionalData, 'utf8'));", '  decipher.setAAD(Buffer.alloc(0));'],
    ],
    tests: ['test/unit/adapters/local-token-cipher.test.ts', 'test/unit/adapters/kms-token-cipher.test.ts'],
  },
  {
    name: 'kms-without-encryption-context',
    rule: "the token's KMS data key is bound to the PIM host (encryption context)",
    file: 'functions/adapters/token-cipher/kms.ts',
    replace: [
      [
        "new GenerateDataKeyCommand({ KeyId: this.#keyId, KeySpec: 'AES_256', EncryptionContext: { pimHost } }),",
        "new GenerateDataKeyCommand({ KeyId: this.#keyId, KeySpec: 'AES_256' }),",
      ],
      [
        'new DecryptCommand({ CiphertextBlob: encryptedKey, EncryptionContext: { pimHost }, KeyId: this.#keyId }),',
        'new DecryptCommand({ CiphertextBlob: encryptedKey, KeyId: this.#keyId }),',
      ],
    ],
    tests: ['test/unit/adapters/kms-token-cipher.test.ts'],
  },
  {
    name: 'pim-url-http-allowed',
    rule: 'https only on AWS; plain http only for loopback hosts locally',
    file: 'functions/core/pim-url.ts',
    replace: [
      [
        "if (url.protocol === 'http:' && !(policy.local && isLoopbackHostname(hostname))) {",
        "if (url.protocol === 'http:' && !(policy.local || isLoopbackHostname(hostname))) {",
      ],
    ],
    tests: ['test/unit/core/pim-url.test.ts'],
  },
  {
    name: 'sync-window-without-overlap',
    rule: 'each sync run reaches back before the previous run start',
    file: 'functions/core/sync-window.ts',
    replace: [
      [
        'const from = new Date(Date.parse(cursor) - overlapSeconds * 1000).toISOString();',
        'const from = new Date(Date.parse(cursor)).toISOString();',
      ],
    ],
    tests: ['test/unit/core/sync-rules.test.ts'],
  },
  {
    name: 'dispatch-deduplication-per-call',
    rule: 'a repeated dispatch in the same schedule slot sends nothing new (FIFO deduplication id)',
    file: 'functions/use-cases/dispatch-syncs.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the replaced source text is itself a template literal
    replace: [['sha256Hex(`${pimHost}|${slot}`)', 'sha256Hex(`${pimHost}|${now.toISOString()}`)']],
    tests: ['test/integration/sync-dispatch.test.ts'],
  },
  {
    name: 'run-event-not-kept-with-cursor',
    rule: "a completed run's event is published at least once: it waits on the connection, written with the cursor",
    file: 'functions/use-cases/sync-products.ts',
    replace: [['    productCount: ledger.productCount,\n    event,\n', '    productCount: ledger.productCount,\n']],
    tests: ['test/integration/run-completed-events.test.ts'],
  },
];

/** The mutated text, or an error naming the replacement that no longer matches exactly once. */
function mutate(source, mutant) {
  let text = source;
  for (const [from, to] of mutant.replace) {
    const count = text.split(from).length - 1;
    if (count !== 1) {
      throw new Error(
        `${mutant.name}: expected exactly one "${from}" in ${mutant.file}, found ${count}. ` +
          'The code moved: update the mutant in scripts/mutation-check.js.',
      );
    }
    text = text.replace(from, () => to);
  }
  return text;
}

/** The working tree as it is (tracked and untracked files, not ignored ones), with node_modules linked in. */
function copyWorkingTree() {
  const copy = mkdtempSync(join(tmpdir(), 'mutation-check-'));
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of new Set(listed.stdout.split('\0').filter(Boolean))) {
    const source = join(ROOT, file);
    if (!existsSync(source)) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(source, join(copy, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

/**
 * Runs jest on `tests` in the copy: `{ passed, failures }`, failures as `file › test name`. Throws when jest
 * itself could not run: that is no verdict on the mutant.
 */
async function runTests(copy, tests, env, children, testNamePattern) {
  const resultsFile = join(copy, '.mutation-results.json');
  rmSync(resultsFile, { force: true });
  const only = testNamePattern ? ['--testNamePattern', testNamePattern] : [];
  const child = spawn(
    process.execPath,
    [join(copy, 'node_modules/jest/bin/jest'), '--ci', '--json', `--outputFile=${resultsFile}`, ...only, ...tests],
    { cwd: copy, env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const status = await new Promise((resolve) => child.once('close', resolve));
  children.delete(child);
  if (!existsSync(resultsFile)) {
    const tail = stderr.trim().split('\n').slice(-10).join('\n');
    throw new Error(`jest did not run (exit ${status}):\n${tail}`);
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  const failures = results.testResults.flatMap((suite) => {
    const file = suite.name.slice(copy.length + 1);
    const failed = suite.assertionResults.filter((test) => test.status === 'failed');
    if (failed.length === 0 && suite.status === 'failed') return [`${file} (the suite failed to run)`];
    return failed.map((test) => `${file} › ${test.fullName}`);
  });
  return { passed: status === 0 && failures.length === 0 && results.numPassedTests > 0, failures };
}

function seconds(since) {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

async function main(args) {
  if (args.includes('--list')) {
    for (const mutant of MUTANTS) console.log(`${mutant.name.padEnd(34)} ${mutant.rule}`);
    return 0;
  }
  const onlyIndex = args.indexOf('--only');
  const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').split(',') : undefined;
  const unknown = (only ?? []).filter((name) => !MUTANTS.some((mutant) => mutant.name === name));
  if (unknown.length > 0) throw new Error(`No mutant named ${unknown.join(', ')} (see --list)`);
  const mutants = MUTANTS.filter((mutant) => only === undefined || only.includes(mutant.name));
  const started = performance.now();

  // Every target must still match before anything runs: a moved line fails here, not as a silent survivor.
  const mutated = mutants.map((mutant) => mutate(readFileSync(join(ROOT, mutant.file), 'utf8'), mutant));
  const allTests = [...new Set(mutants.flatMap((mutant) => mutant.tests))];
  for (const test of allTests) {
    if (!existsSync(join(ROOT, test))) throw new Error(`A mutant names ${test}, which does not exist`);
  }
  const needs = needsOf(allTests.map((test) => join(ROOT, test)));
  const prerequisites = ensurePrerequisites({ java: needs.dynamodbLocal, chromium: needs.chromium });
  if (!prerequisites.ok) throw new Error(prerequisites.message);

  const copy = copyWorkingTree();
  const children = new Set();
  let stopDynamoDbLocal = async () => undefined;
  const cleanUp = async () => {
    for (const child of children) child.kill();
    await stopDynamoDbLocal();
    rmSync(copy, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => cleanUp().finally(() => process.exit(130)));
  }
  const env = { ...process.env, ...prerequisites.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  try {
    if (needs.dynamodbLocal) {
      // One DynamoDB Local for every run; each jest run then starts none (TEST_DYNAMODB_LOCAL=0).
      stopDynamoDbLocal = require('../test/support/global-teardown');
      await require('../test/support/global-setup')();
      env.TEST_DYNAMODB_ENDPOINT = process.env.TEST_DYNAMODB_ENDPOINT;
    }
    env.TEST_DYNAMODB_LOCAL = '0';

    const baselineStarted = performance.now();
    const baseline = await runTests(copy, allTests, env, children);
    if (!baseline.passed) {
      console.log(
        `The tests fail without any mutant (${seconds(baselineStarted)}):\n  ${baseline.failures.join('\n  ')}`,
      );
      return 1;
    }
    console.log(`baseline  ${allTests.length} test files pass unmutated (${seconds(baselineStarted)})`);

    let survived = 0;
    for (const [index, mutant] of mutants.entries()) {
      const path = join(copy, mutant.file);
      const original = readFileSync(path, 'utf8');
      const mutantStarted = performance.now();
      writeFileSync(path, mutated[index]);
      let outcome;
      try {
        outcome = await runTests(copy, mutant.tests, env, children, mutant.testNamePattern);
      } finally {
        writeFileSync(path, original);
      }
      if (outcome.passed) {
        survived += 1;
        console.log(`SURVIVED  ${mutant.name}: ${mutant.rule} (${mutant.tests.join(', ')}; ${seconds(mutantStarted)})`);
      } else {
        const more = outcome.failures.length > 1 ? ` (+${outcome.failures.length - 1} more)` : '';
        console.log(`killed    ${mutant.name} by ${outcome.failures[0]}${more} (${seconds(mutantStarted)})`);
      }
    }
    console.log(
      `${mutants.length} mutants: ${mutants.length - survived} killed, ${survived} survived (${seconds(started)})`,
    );
    return survived === 0 ? 0 : 1;
  } finally {
    await cleanUp();
  }
}

module.exports = { MUTANTS, mutate };

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
