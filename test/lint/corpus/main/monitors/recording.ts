import { counter, defineService } from "vigil";

// Recording rules are named level:metric:operations (job:http_requests:rate5m).
const searches = counter("searches_total", { labels: ["index", "result"] });

export default defineService({
  name: "search-api",
  team: "search",
  metrics: [searches],
  recordingRules: [
    { record: "index:searches:rate5m", expr: "sum by (index) (rate(searches_total[5m]))" },
    { record: "searches_rate5m", expr: "sum(rate(searches_total[5m]))" },
    //        ^ recording-rule-name
    { record: "index:searches_rate10m", expr: "sum by (index) (rate(searches_total[10m]))" },
    //        ^ recording-rule-name
    { record: "index:searches:total:rate15m", expr: "sum by (index) (rate(searches_total[15m]))" },
    //        ^ recording-rule-name
    { record: ":searches:rate30m", expr: "sum(rate(searches_total[30m]))" },
    //        ^ recording-rule-name
  ],
});
