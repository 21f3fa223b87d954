import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['./support/global-setup.ts'],
    // One local cloud serves every file; files run in parallel against it, like real clients would.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
