import { defineService } from "vigil";

// Schema errors get files of their own: the service that fails its schema is not linted.
// @ts-expect-error: the team is missing, which the editor reports too
export default defineService({
//                           ^ team-required
  name: "orphan",
  alerts: [
    {
      name: "OrphanDown",
      expr: 'up{job="orphan"} == 0',
      severity: "ticket",
      summary: "The orphan is down.",
      description: "{{ $labels.instance }} is down.",
    },
  ],
});
