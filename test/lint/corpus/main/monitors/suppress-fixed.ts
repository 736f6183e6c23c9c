import { defineService } from "vigil";

// Secrets, syntax and type errors, unknown severities and missing teams are never waived.
export default defineService({
  name: "waiver",
  team: "payments",
  alerts: [
    {
      name: "WaiverDown",
      expr: 'up{job="waiver"} == 0',
      severity: "ticket",
      summary: "The service is down.",
      description: "{{ $labels.instance }} is down.",
      suppress: { "literal-secret": "it is a test key", "promql-syntax": "the parser is wrong" },
      //          ^ lint-rule-not-suppressible
      //                                                ^ lint-rule-not-suppressible
    },
  ],
});
