import { defineService, defineTeam } from "vigil";

// Secrets pasted into monitors: the repository and its output are read by everyone. Always an
// error; it cannot be switched off or suppressed.
export const fraud = defineTeam({
  name: "fraud",
  receivers: {
    default: { webhook: { url: "https://alerts:hunter2hunter2@hooks.fraud.example.com/vigil" } },
    //                         ^ literal-secret
  },
});

export default defineService({
  name: "fraud-scoring",
  team: "fraud",
  labels: { deploy_token: "ghp_0123456789abcdefghijABCDEFGHIJ012345" },
  //                      ^ literal-secret
  alerts: [
    {
      name: "FraudScoringDown",
      expr: 'up{job="fraud-scoring"} == 0',
      severity: "ticket",
      summary: "Fraud scoring is down.",
      description: "{{ $labels.instance }} is down.",
      annotations: { chat: "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx" },
      //                   ^ literal-secret
      runbook: {
        links: [{ title: "Scores", url: "https://scores.fraud.example.com/dashboard?access_token=3f9a8b7c6d5e4f3a" }],
        //                              ^ literal-secret
      },
    },
  ],
  dashboards: [
    {
      title: "Fraud scoring",
      links: [{ title: "Model registry", url: "https://registry.fraud.example.com/?api_key=AKIAIOSFODNN7EXAMPLE" }],
      //                                      ^ literal-secret
      rows: [{ title: "Targets", panels: [{ title: "Up", queries: ['up{job="fraud-scoring"}'] }] }],
    },
  ],
});
