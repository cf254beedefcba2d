/** Transpile-only (isolatedModules in tsconfig): `npm run lint` type-checks the whole tree once. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '/cdk.out/'],
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  testTimeout: 120000,
  // jest's default is one worker per core less one: a single worker on a 2-core CI machine.
  maxWorkers: '100%',
};
