// The package ships types, but its "exports" map hides them from NodeNext resolution.
declare module "@prometheus-io/lezer-promql" {
  import type { LRParser } from "@lezer/lr";
  export const parser: LRParser;
}
