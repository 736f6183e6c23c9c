import { describe, expect, it } from "vitest";
import { readTeamsModule } from "../../src/import/existing-teams.js";

describe("readTeamsModule", () => {
  it("finds exported defineTeam declarations by their name literal, whatever the formatting", async () => {
    const found = await readTeamsModule(`import { defineTeam as dt, defineTeam } from "vigil";
// export const ghost = defineTeam({ name: "in-a-comment" });
export const payments = defineTeam({ escalation: ["a"], name: "payments" });
export const web = defineTeam(
  {
    name: \`web\`,
  },
);
const hidden = defineTeam({ name: "not-exported" });
export const computed = defineTeam({ name: "x" + "y" });
export const other = makeTeam({ name: "other" });
`);
    expect([...found.declared]).toEqual([["payments", "payments"], ["web", "web"]]);
    expect(found.importsDefineTeam).toBe(true);
  });

  it("tells whether defineTeam still needs importing", async () => {
    expect((await readTeamsModule(`import { defineService } from "vigil";\n`)).importsDefineTeam).toBe(false);
    expect((await readTeamsModule(`import { defineTeam } from "./elsewhere";\n`)).importsDefineTeam).toBe(false);
  });
});
