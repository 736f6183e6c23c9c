/** What an existing `teams.ts` already declares, read from its syntax tree, not by pattern. */
export interface ExistingTeams {
  /** Team name -> the exported variable holding its `defineTeam` object. */
  declared: Map<string, string>;
  /** `defineTeam` is imported from "vigil" already. */
  importsDefineTeam: boolean;
}

/** ts-morph is loaded here only, so that other commands never pay for it. */
export async function readTeamsModule(text: string): Promise<ExistingTeams> {
  const { Node, Project } = await import("ts-morph");
  const file = new Project({ useInMemoryFileSystem: true }).createSourceFile("teams.ts", text);
  const declared = new Map<string, string>();
  for (const statement of file.getVariableStatements()) {
    if (!statement.isExported()) continue;
    for (const declaration of statement.getDeclarations()) {
      const call = declaration.getInitializer();
      if (!call || !Node.isCallExpression(call) || call.getExpression().getText() !== "defineTeam") continue;
      const spec = call.getArguments()[0];
      const name = spec && Node.isObjectLiteralExpression(spec) ? spec.getProperty("name") : undefined;
      const value = name && Node.isPropertyAssignment(name) ? name.getInitializer() : undefined;
      if (value && (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value))) declared.set(value.getLiteralValue(), declaration.getName());
    }
  }
  const importsDefineTeam = file
    .getImportDeclarations()
    .some((d) => d.getModuleSpecifierValue() === "vigil" && d.getNamedImports().some((n) => n.getName() === "defineTeam"));
  return { declared, importsDefineTeam };
}
