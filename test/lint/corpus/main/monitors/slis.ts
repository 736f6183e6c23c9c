import { counter, defineService, histogram } from "vigil";

// SLI queries are PromQL like any other: `{{window}}` stands for each window's range.
const requests = counter("search_requests_total", { labels: ["index", "code"] });
const latency = histogram("search_duration_seconds", { labels: ["index"], buckets: [0.05, 0.25, 1] });

export default defineService({
  name: "search-frontend",
  team: "search",
  metrics: [requests, latency],
  slos: [
    {
      name: "availability",
      objective: 99.9,
      sli: { errorRatio: 'sum(rate(search_request_total{code=~"5.."}[{{window}}])) / sum(rate(search_requests_total[{{window}}]))' },
      //                           ^ unknown-metric
    },
    {
      name: "indexing",
      objective: 99,
      sli: { errors: 'sum(rate(search_requests_total{index="products", status="500"}[{{window}}]))', total: 'sum(rate(search_requests_total{index="products"}[{{window}}]))' },
      //                                                               ^ unknown-label
    },
    {
      name: "latency",
      //    ^ warning:slo-tests-not-generated
      objective: 99,
      sli: { latency: latency.where({ index: /products(?=-v2)/ }), threshold: 0.25 },
      //              ^ invalid-regex
    },
    {
      name: "freshness",
      objective: 99,
      sli: { errorRatio: "1 - avg(rate(search_duration_seconds_count[{{window}}]) > bool 0" },
      //                                                                                  ^ promql-syntax
    },
    {
      name: "per-index",
      objective: 99.5,
      groupBy: ["index", "indx"],
      //                 ^ unknown-label
      sli: { errors: requests.where({ code: /5../ }), total: requests.where({}) },
    },
  ],
});
