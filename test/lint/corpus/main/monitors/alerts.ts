import { counter, defineService } from "vigil";

// Alert conventions (monitoring-mixins): CamelCase names, one static capitalised summary ending
// with a period, a templated description, a configured severity; paging alerts wait at least 1m
// and come with triage and mitigation steps. Templates must be valid Go templates.
const writes = counter("ledger_writes_total", { labels: ["account", "result"] });

const steps = {
  triage: ["Check the ledger database's replication lag."],
  mitigation: ["Fail over to the replica."],
};

export default defineService({
  name: "ledger",
  team: "payments",
  metrics: [writes],
  alerts: [
    {
      name: "ledger_write_errors",
      //    ^ alert-name-camelcase
      expr: 'sum(rate(ledger_writes_total{result="error"}[5m])) > 1',
      severity: "ticket",
      summary: "Ledger writes fail.",
      description: "{{ $value }} ledger writes fail per second.",
    },
    {
      name: "ledgerWritesSlow",
      //    ^ alert-name-camelcase
      expr: 'sum(rate(ledger_writes_total{result="slow"}[5m])) > 1',
      severity: "ticket",
      summary: "Ledger writes are slow.",
      description: "{{ $value }} slow ledger writes per second.",
    },
    {
      name: "LedgerWritesTimingOut",
      expr: 'sum(rate(ledger_writes_total{result="timeout"}[5m])) > 1',
      severity: "ticket",
      summary: "ledger writes time out.",
      //       ^ alert-summary-style
      description: "{{ $value }} ledger writes time out per second.",
    },
    {
      name: "LedgerWritesRejected",
      expr: 'sum(rate(ledger_writes_total{result="rejected"}[5m])) > 1',
      severity: "ticket",
      summary: "Ledger writes are rejected",
      //       ^ alert-summary-style
      description: "{{ $value }} ledger writes are rejected per second.",
    },
    {
      name: "LedgerAccountFailing",
      expr: 'sum by (account) (rate(ledger_writes_total{result="error"}[10m])) > 0.1',
      severity: "ticket",
      summary: "Account {{ $labels.account }} cannot write.",
      //       ^ alert-summary-style
      description: "{{ $value }} writes per second fail for {{ $labels.account }}.",
    },
    {
      name: "LedgerWritesDropped",
      expr: 'sum(rate(ledger_writes_total{result="dropped"}[5m])) > 1',
      severity: "ticket",
      summary: "Ledger writes are dropped.",
      description: "Ledger writes are dropped.",
      //           ^ warning:alert-description-templated
    },
    {
      name: "LedgerWritesConflicting",
      expr: 'sum(rate(ledger_writes_total{result="conflict"}[5m])) > 1',
      severity: "critical",
      //        ^ unknown-severity
      summary: "Ledger writes conflict.",
      description: "{{ $value }} ledger writes conflict per second.",
    },
    {
      name: "LedgerDown",
      //    ^ runbook-missing-steps
      expr: 'up{job="ledger"} == 0',
      for: "5m",
      severity: "page",
      summary: "The ledger is down.",
      description: "{{ $labels.instance }} is down.",
    },
    {
      name: "LedgerWritesStopped",
      expr: 'sum(rate(ledger_writes_total{result="ok"}[5m])) == 0',
      for: "5m",
      severity: "page",
      summary: "The ledger writes nothing.",
      description: "No ledger write succeeded in {{ $labels.job }} for 5 minutes.",
      runbook: { triage: ["Check the ledger's logs."] },
      //       ^ runbook-missing-steps
    },
    {
      name: "LedgerReplicaDown",
      //    ^ paging-alert-for
      expr: 'up{job="ledger-replica"} == 0',
      severity: "page",
      summary: "The ledger replica is down.",
      description: "{{ $labels.instance }} is down.",
      runbook: steps,
    },
    {
      name: "LedgerPrimaryDown",
      expr: 'up{job="ledger-primary"} == 0',
      for: "30s",
      //   ^ paging-alert-for
      severity: "page",
      summary: "The ledger primary is down.",
      description: "{{ $labels.instance }} is down.",
      runbook: steps,
    },
    {
      name: "LedgerErrorRatio",
      expr: 'sum(rate(ledger_writes_total{result="error"}[15m])) / sum(rate(ledger_writes_total[15m])) > 0.01',
      severity: "ticket",
      summary: "Over 1% of ledger writes fail.",
      description: "{{ $value | humanizePercent }} of ledger writes fail.",
      //                        ^ template-syntax
    },
    {
      name: "LedgerAccountLagging",
      expr: 'sum by (account) (rate(ledger_writes_total{result="lag"}[5m])) > 100',
      severity: "ticket",
      summary: "An account's writes lag.",
      description: "Account {{ $labels.account } lags by {{ $value }} writes.",
      //                                       ^ template-syntax
      labels: { component: "{{ $labels.account" },
      //                    ^ template-syntax
    },
    {
      name: "LedgerWritesRetried",
      expr: 'sum(rate(ledger_writes_total{result="retried"}[5m])) > 5',
      severity: "ticket",
      summary: "Ledger writes are retried.",
      description: "{{ $value }} retries per second.",
      annotations: { details: "{{ range $labels }}{{ . }}" },
      //                       ^ template-syntax
    },
  ],
  slos: [
    {
      name: "writes",
      objective: 99.9,
      sli: { errors: writes.where({ result: "error" }), total: writes.where({}) },
      alerting: { name: "ledger_writes_burn" },
      //                ^ alert-name-camelcase
    },
    {
      name: "accounts",
      objective: 99,
      sli: { errors: writes.where({ result: "rejected" }), total: writes.where({}) },
      alerting: { names: { page: "LedgerAccountsBurnFast", ticket: "ledger-accounts-burn-slow" } },
      //                                                           ^ alert-name-camelcase
    },
  ],
});
