// The built compiler (see vitest.config.ts): loading monitors needs Node's own import().
export { compile } from "../../dist/pipeline.js";
export type { CompileResult } from "../../dist/pipeline.js";
