/**
 * End-to-end suite (npm run test:e2e): a real etcd, kube-apiserver, kube-controller-manager and ESO controller;
 * a real single-node cluster with ESO installed by its chart; and the servers that consume the credentials.
 */
module.exports = {
  ...require('./jest.base'),
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.test.ts'],
  // The first run on a machine builds the control plane from source.
  testTimeout: 15 * 60 * 1000,
  maxWorkers: 1,
  // Folders the tests make with tempDir() live in one run folder, removed at the end (as in jest.config.js);
  // the end also fails the run on any process a test left running (teardown.js).
  globalSetup: '<rootDir>/test/support/run-folder/setup.js',
  globalTeardown: '<rootDir>/test/e2e/teardown.js',
  // With every process checked above, what could still keep jest alive is a timer or socket of a failed
  // suite's: exit rather than wait for it (CI has a budget; a waiting jest would spend it all).
  forceExit: true,
};
