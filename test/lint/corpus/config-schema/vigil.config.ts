import { defineConfig } from "vigil";

// lint.rules takes only rules that can be configured: fixed ones (secrets, syntax, types,
// severities, teams) are never switched off, and a misspelt code is refused.
export default defineConfig({
  monitors: "monitors/**/*.ts",
  lint: {
    rules: {
      "literal-secret": "off",
    //^ unknown-field
      "unused-metrics": "warn",
    //^ unknown-field
      // @ts-expect-error: a severity is "off", "warn" or "error"
      "unknown-label": "loud",
      //               ^ invalid-value
    },
  },
});
