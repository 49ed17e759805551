/**
 * What both jest configurations share: TypeScript through ts-jest (type checking is done once by
 * `tsc --noEmit`), and the ES-module-only packages of @kubernetes/client-node compiled to CommonJS, because
 * jest's module system cannot load ES modules the way Node does.
 */
const esmOnly = ['@kubernetes/client-node', 'openid-client', 'oauth4webapi', 'jose'];

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }],
    '^.+\\.m?js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true } }],
  },
  // The repository's own code imports the constructs' vocabulary by package name, from source (tsconfig paths).
  moduleNameMapper: { '^@central-secret-store/constructs/vocabulary$': '<rootDir>/constructs/src/vocabulary/index.ts' },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
};
