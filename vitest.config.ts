import { defineConfig } from "vitest/config";

// Tests import workspace packages from their TypeScript sources (the "source" export condition),
// so the suite needs no build step.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default on 2 cores is one worker (cores - 1), but most files wait on servers, databases,
    // child processes and Chromium rather than compute. Two workers ran the SQLite + DuckDB pass in
    // 528 s at load 5-10, where one took 10-11 min on an idle machine; files share nothing (port 0, a
    // scratch database per server).
    maxWorkers: 2,
  },
});
