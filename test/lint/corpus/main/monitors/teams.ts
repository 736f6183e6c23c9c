import { defineTeam } from "vigil";

// Services refer to their team by name, so that no monitor file imports another.
export const payments = defineTeam({
  name: "payments",
  receivers: { default: { webhook: { url: "http://127.0.0.1:9/hook" } } },
});

export const search = defineTeam({
  name: "search",
  receivers: {
    default: { webhook: { url: "http://127.0.0.1:9/search" } },
    critical: { webhook: { url: "http://127.0.0.1:9/search-critical" } },
//  ^ unknown-severity
  },
});
