import { defineTeam } from "vigil";

export const platform = defineTeam({
  name: "platform",
  receivers: { default: { webhook: { url: "http://127.0.0.1:9/platform" } } },
});
