import { defineConfig } from 'vitest/config';

const timeouts = { testTimeout: 30_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    // One local cloud serves every file (the root's global setup runs once, for both projects below).
    globalSetup: ['./support/global-setup.ts'],
    projects: [
      {
        // Files run in parallel against the one local cloud, like real clients would.
        test: {
          ...timeouts,
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          exclude: ['e2e/**/*.exclusive.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Files that drain a shared resource on purpose (the pro key's token bucket, the stage's write
        // throttle) would make other files' requests fail: they run after the others, one at a time.
        test: {
          ...timeouts,
          name: 'exclusive',
          include: ['e2e/**/*.exclusive.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
