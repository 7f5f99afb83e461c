#!/usr/bin/env node
// `npm test`: checks what the selected suites need from the machine (Java for DynamoDB Local, Chromium for the
// browser tests; see prerequisites.js and test-needs.js), runs jest, then prints one closing line
// `N passed, N failed` counted from jest's own JSON results, so a run that executed no test cannot look green.
// Extra arguments go to jest (`npm test -- test/unit`).
const { spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { ensurePrerequisites } = require('./prerequisites');
const { needsOf } = require('./test-needs');

const jestBin = require.resolve('jest/bin/jest');
const jestArgs = process.argv.slice(2);

/** The test files jest would run with these arguments, or undefined when it cannot say (then assume all). */
function selectedTestFiles() {
  const listed = spawnSync(process.execPath, [jestBin, '--listTests', '--json', ...jestArgs], { encoding: 'utf8' });
  try {
    const files = JSON.parse(listed.stdout);
    return listed.status === 0 && Array.isArray(files) ? files : undefined;
  } catch {
    return undefined;
  }
}

const selected = selectedTestFiles();
const needs = selected === undefined ? { dynamodbLocal: true, chromium: true } : needsOf(selected);
const prerequisites = ensurePrerequisites({ java: needs.dynamodbLocal, chromium: needs.chromium });
if (!prerequisites.ok) {
  console.error(prerequisites.message);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const resultsDirectory = mkdtempSync(join(tmpdir(), 'jest-results-'));
const resultsFile = join(resultsDirectory, 'results.json');
const jest = spawnSync(process.execPath, [jestBin, '--json', `--outputFile=${resultsFile}`, ...jestArgs], {
  stdio: 'inherit',
  env: {
    ...process.env,
    ...prerequisites.env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // Read by test/support/global-setup.js: DynamoDB Local (and its JVM) only for the suites that use it.
    TEST_DYNAMODB_LOCAL: needs.dynamodbLocal ? '1' : '0',
  },
});

const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
rmSync(resultsDirectory, { recursive: true, force: true });
if (results === undefined) {
  console.log('0 passed, 1 failed');
  process.exit(jest.status || 1);
}
// A suite that fails to load counts as one failure: its tests never ran.
const brokenSuites = results.testResults.filter(
  (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
).length;
const passed = results.numPassedTests;
const failed = results.numFailedTests + brokenSuites;
console.log(`${passed} passed, ${failed} failed`);
process.exit(jest.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
