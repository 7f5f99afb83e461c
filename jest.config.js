/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // jose 6 is ESM-only; jest on Node 20 must transform it.
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  testTimeout: 30000,
};
