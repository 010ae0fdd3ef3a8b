import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Unicorn engines are native and heavy; forks keep a crash in one file from taking the run down.
    pool: 'forks',
    // Every test file, and every child it starts, uses the fixtures' pinned Go.
    setupFiles: ['test/kit/pingo.setup.ts'],
  },
});
