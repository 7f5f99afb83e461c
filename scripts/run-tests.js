#!/usr/bin/env node
// `npm test`: runs jest, then prints one closing line `N passed, N failed` counted from jest's own JSON results,
// so a run that executed no test cannot look green. Extra arguments go to jest (`npm test -- test/unit`).
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const resultsFile = join(__dirname, '..', 'test-results.json');
rmSync(resultsFile, { force: true });
const jest = spawnSync(
  process.execPath,
  [require.resolve('jest/bin/jest'), '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
);

if (!existsSync(resultsFile)) {
  console.log('0 passed, 1 failed');
  process.exit(jest.status || 1);
}
const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
// A suite that fails to load counts as one failure: its tests never ran.
const brokenSuites = results.testResults.filter(
  (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
).length;
const passed = results.numPassedTests;
const failed = results.numFailedTests + brokenSuites;
console.log(`${passed} passed, ${failed} failed`);
process.exit(jest.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
