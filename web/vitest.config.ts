import { defineConfig } from 'vitest/config';

// Unit tests: pure client logic, no browser and no server.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
