/** Two tiers: fast unit specs beside the code, e2e specs in test/ on real PostgreSQL. */
const moduleNameMapper = {
  '^@vigil/contracts$': '<rootDir>/libs/contracts/src',
  '^@vigil/contracts/(.*)$': '<rootDir>/libs/contracts/src/$1',
  '^@vigil/clinical$': '<rootDir>/libs/clinical/src',
  '^@vigil/clinical/(.*)$': '<rootDir>/libs/clinical/src/$1',
  '^@vigil/outbox$': '<rootDir>/libs/outbox/src',
  '^@vigil/outbox/(.*)$': '<rootDir>/libs/outbox/src/$1',
};
const transform = {
  '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
};
const common = { rootDir: __dirname, moduleNameMapper, transform, testEnvironment: 'node' };

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/apps/{api,simulator}/src/**/*.spec.ts',
        '<rootDir>/libs/*/src/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'dashboard',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/apps/dashboard/src/**/*.spec.{ts,tsx}'],
      transform: {
        '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/apps/dashboard/tsconfig.spec.json' }],
      },
      moduleNameMapper: {
        ...moduleNameMapper,
        '\\.css$': '<rootDir>/apps/dashboard/test/style-stub.js',
      },
      setupFilesAfterEnv: ['<rootDir>/apps/dashboard/test/setup.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
