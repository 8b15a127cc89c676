import { defineConfig } from 'vitest/config';

// Integration tests start real servers (the sandbox, the bridge, PostgreSQL clients) on port 0,
// so the defaults are raised for them; nothing here asserts on time.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
