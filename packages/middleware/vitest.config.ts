import { defineConfig } from 'vitest/config';

// Powertools reads its configuration when the singletons are created (module scope), so the
// environment is set here, before any test file imports the package. Variables that would change
// behaviour on a developer's machine are pinned to their defaults to keep runs hermetic. (Powertools
// rejects an empty string for its boolean and number variables, hence 'false' and '0'.)
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    env: {
      POWERTOOLS_SERVICE_NAME: 'notes-api',
      POWERTOOLS_METRICS_NAMESPACE: 'ServerlessReference',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_DEV: 'false',
      POWERTOOLS_METRICS_DISABLED: 'false',
      POWERTOOLS_LOGGER_LOG_EVENT: 'false',
      POWERTOOLS_LOGGER_SAMPLE_RATE: '0',
      // Lambda sets this; without it Powertools never reports a cold start (no ColdStart metric).
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_LEVEL: '',
      AWS_EXECUTION_ENV: '',
      CORS_ALLOWED_ORIGINS: '',
    },
  },
});
