/** End-to-end suite: a real etcd, kube-apiserver, kube-controller-manager and ESO controller (npm run test:e2e). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  // The first run on a machine builds the control plane from source.
  testTimeout: 15 * 60 * 1000,
  maxWorkers: 1,
};
