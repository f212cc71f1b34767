import { defineConfig } from 'vitest/config';

// Integration tests spawn real processes (the server, redis-server, editors); two cores, so keep
// parallelism modest and timeouts generous. Tests never assert wall-clock times.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fixtures are data that looks like code (e.g. a negative corpus for the secret detector), not tests.
    exclude: ['test/fixtures/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
