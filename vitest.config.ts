import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real Prometheus, Alertmanager and promtool runs on a shared 2-core machine: generous limits.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    server: {
      deps: {
        // Tests that load monitors use the built compiler, run by Node itself: monitors are
        // bundled and imported natively, exactly as in the CLI.
        external: [/\/dist\//],
      },
    },
  },
});
