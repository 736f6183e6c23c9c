import { comment, formatModule, identifier, obj, print, raw } from "./code.js";
import type { Imported, ImportedService, ImportedTeam } from "./types.js";
import { readTeamsModule } from "./existing-teams.js";

/**
 * The files an import writes, relative to the output directory: `<team>/<service>.ts` per
 * service, and `teams.ts`, where teams the repository lacks are added after the ones it has.
 */

export interface ModuleFile {
  path: string;
  content: string;
  /** teams.ts already existed and only gains declarations. */
  extends?: boolean;
}

export async function serviceModule(service: ImportedService, teamVar: string, kind: string): Promise<ModuleFile> {
  const body = obj([...(service.notes.length ? [comment(...service.notes)] : []), ["name", service.name], ["team", raw(teamVar)], ...service.entries]);
  const content = await formatModule(
    [`Imported by \`vigil import ${kind}\` from ${service.sources.join(", ")}.`],
    [`import { ${["defineService", ...service.uses].sort().join(", ")} } from "vigil";`, `import { ${teamVar} } from "../teams";`],
    [...service.declarations, `export default defineService(${print(body)});`],
  );
  return { path: `${service.team}/${service.name}.ts`, content };
}

function teamStatement(team: ImportedTeam, variable: string): string {
  const notes = team.notes.map((n) => `// ${n}\n`).join("");
  return `${notes}export const ${variable} = defineTeam(${print(obj([["name", team.name], ...team.entries]))});`;
}

/** A team a service needs that nobody declared: no receivers yet, so its alerts reach only the catch-all. */
function stubTeam(name: string): ImportedTeam {
  return {
    name,
    notes: ["TODO: where this team's alerts go, by severity (README, \"A receiver\"), or `vigil import alertmanager` on your Alertmanager config."],
    entries: [["receivers", obj({})]],
  };
}

/**
 * Every file of an import. `existingTeams` is the text of the output directory's teams.ts,
 * if there is one; teams it declares keep their declaration (and variable name).
 */
export async function importModules(imported: Imported, kind: string, existingTeams: string | undefined): Promise<{ files: ModuleFile[]; kept: string[] }> {
  const existing = existingTeams === undefined ? undefined : await readTeamsModule(existingTeams);
  const declared = existing?.declared ?? new Map<string, string>();
  const wanted = new Map<string, ImportedTeam>(imported.teams.map((t) => [t.name, t]));
  for (const s of imported.services) if (!wanted.has(s.team)) wanted.set(s.team, stubTeam(s.team));
  const kept = [...wanted.keys()].filter((name) => declared.has(name) && imported.teams.some((t) => t.name === name));
  const taken = new Set(declared.values());
  const variables = new Map(declared);
  const added: string[] = [];
  for (const team of [...wanted.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (variables.has(team.name)) continue;
    const variable = identifier(team.name, taken);
    taken.add(variable);
    variables.set(team.name, variable);
    added.push(teamStatement(team, variable));
  }
  const files: ModuleFile[] = [];
  if (added.length > 0 || imported.teamNotes.length > 0) {
    const notes = imported.teamNotes.length ? [`${imported.teamNotes.map((n) => `// ${n}`).join("\n")}`] : [];
    if (existingTeams === undefined) {
      const content = await formatModule([`Imported by \`vigil import ${kind}\`.`], ['import { defineTeam } from "vigil";'], [...notes, ...added]);
      files.push({ path: "teams.ts", content });
    } else {
      const addition = await formatModule([`Added by \`vigil import ${kind}\`.`], [], [...notes, ...added]);
      const importLine = existing?.importsDefineTeam ? "" : 'import { defineTeam } from "vigil";\n';
      files.push({ path: "teams.ts", content: `${importLine}${existingTeams.trimEnd()}\n\n${addition.trimStart()}`, extends: true });
    }
  }
  for (const service of imported.services) files.push(await serviceModule(service, variables.get(service.team)!, kind));
  return { files, kept };
}
