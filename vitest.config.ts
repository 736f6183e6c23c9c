import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
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
