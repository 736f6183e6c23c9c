import { defineConfig } from "vigil";

// The broken-monitor corpus: each expected diagnostic is a marker comment on the line right after
// the offending one, its caret under the exact column: `//   ^ code` (the rule's default severity)
// or `//   ^ warning:code`. test/lint/corpus.test.ts compares them with what `vigil lint` finds.
export default defineConfig({
  monitors: "monitors/**/*.ts",
  severities: ["page", "ticket", "info"],
  lint: { externalMetrics: ["node_*", "probe_success"] },
});
