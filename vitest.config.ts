import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // onnxruntime sessions and sharp use native threads; forks keep them isolated per file.
    pool: 'forks',
  },
});
