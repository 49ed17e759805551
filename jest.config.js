/** Unit, property, policy and package tests. The end-to-end suite has its own config (jest.e2e.config.js). */
module.exports = {
  ...require('./jest.base'),
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/support/run-folder/unit-setup.js',
  globalTeardown: '<rootDir>/test/support/run-folder/teardown.js',
};
