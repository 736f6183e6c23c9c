import { counter, defineService, histogram } from "vigil";

// The same expression declared twice is evaluated twice and drifts apart when one copy is fixed;
// a declared metric that nothing queries is dead weight (or a typo elsewhere).
const invoices = counter("invoices_created_total", { labels: ["currency"] });
const refunds = counter("refunds_issued_total", { labels: ["currency"] });
const size = histogram("invoice_size_bytes", { buckets: [1024, 65536] });

export default defineService({
  name: "billing",
  team: "payments",
  metrics: [invoices, refunds, size],
  //                  ^ warning:unused-metric
  //                           ^ warning:unused-metric
  recordingRules: [
    { record: "currency:invoices_created:rate5m", expr: "sum by (currency) (rate(invoices_created_total[5m]))" },
    { record: "currency:invoices:rate5m", expr: "sum by (currency) (rate(invoices_created_total[5m]))" },
    //                                          ^ warning:duplicate-expression
  ],
  alerts: [
    {
      name: "BillingNoInvoices",
      expr: "sum(rate(invoices_created_total[30m])) == 0",
      severity: "ticket",
      summary: "No invoice was created in 30 minutes.",
      description: "{{ $value }} invoices per second.",
    },
    {
      name: "BillingInvoicesStopped",
      expr: "sum(rate(invoices_created_total[30m])) == 0",
      //    ^ warning:duplicate-expression
      severity: "info",
      summary: "Invoices stopped.",
      description: "{{ $value }} invoices per second.",
    },
  ],
});
