import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests spawn real servers; two cores, so keep the pool small.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    coverage: {
      provider: "v8",
      // In-process coverage: what spawned servers run is not counted, so the two files that only
      // run as their own process (the process entry, the --workers primary) are left out; their
      // tests are test/integration/cli.test.ts and test/integration/production/workers*.test.ts.
      include: ["src/**/*.ts"],
      exclude: ["src/cli/main.ts", "src/cli/workers.ts", "src/**/*.d.ts"],
      reporter: ["text-summary", "json-summary"],
      thresholds: { lines: 90 },
    },
  },
});
