import { defineConfig } from "vigil";

// The corpus of configured lint: severities changed, rules off, more allowed names and labels, a
// longer scrape interval. Markers as in ../main; `^ warning:code` where the config downgrades.
export default defineConfig({
  monitors: "monitors/**/*.ts",
  prometheus: { scrapeInterval: "1m", maxRulesPerGroup: 25 },
  //                                                    ^ rule-group-size
  lint: {
    rules: {
      "alert-description-templated": "off",
      "unused-metric": "off",
      "counter-without-rate": "error",
      "paging-alert-for": "warn",
      "alert-summary-style": "warn",
      "unknown-metric": "warn",
    },
    externalMetrics: ["node_*", "kube_pod_status_ready"],
    targetLabels: ["job", "instance", "cluster"],
    minRangeScrapes: 3,
  },
});
