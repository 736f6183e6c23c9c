import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Loading monitors writes a bundle under node_modules/.cache; forks keep each file's globals apart.
    pool: "forks",
  },
});
