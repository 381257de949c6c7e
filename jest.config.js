/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // The bundle npm start runs (scripts/build.js) is not a second copy of the modules.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testTimeout: 20000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
