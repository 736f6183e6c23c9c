import { defineService } from "vigil";

// A suppression names a lint code that does not exist (a typo): a schema error of its own file.
export default defineService({
  name: "typo-suppress",
  team: "payments",
  alerts: [
    {
      name: "TypoSuppressDown",
      expr: 'up{job="typo-suppress"} == 0',
      severity: "ticket",
      summary: "The service is down.",
      description: "{{ $labels.instance }} is down.",
      suppress: { "alert-name-camel-case": "pagers match on this name" },
      //          ^ unknown-lint-rule
    },
  ],
});
