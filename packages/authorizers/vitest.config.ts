import { defineConfig } from 'vitest/config';

// Powertools (through @serverless-reference/middleware) reads its configuration when its singletons are
// created at import, so the environment is set here, before any test file loads a handler. Variables that
// would change behaviour on a developer's machine are pinned to their defaults to keep runs hermetic
// (booleans as "false": Powertools refuses an empty string there).
// The JWT_* variables are set by the handler tests themselves (they need the test IdP's port).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    env: {
      POWERTOOLS_SERVICE_NAME: 'authorizers',
      POWERTOOLS_METRICS_NAMESPACE: 'ServerlessReference',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_DEV: 'false',
      POWERTOOLS_METRICS_DISABLED: 'false',
      POWERTOOLS_LOGGER_LOG_EVENT: 'false',
      POWERTOOLS_LOGGER_SAMPLE_RATE: '0',
      AWS_LAMBDA_LOG_LEVEL: '',
      AWS_EXECUTION_ENV: '',
    },
  },
});
