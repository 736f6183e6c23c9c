import type { Change, FieldChange } from "./change.js";

const SIGN = { added: "+", removed: "-", changed: "~" } as const;
const COLOR = { added: "32", removed: "31", changed: "33" } as const;

/** One line per value: a multi-line value (a template, a long expression) keeps its `\n`s visible. */
const oneLine = (value: string) => value.replace(/\r?\n/g, "\\n");

export function fieldText(field: FieldChange): string {
  if (field.before === undefined && field.after === undefined) return field.field;
  return `${field.field} ${field.before === undefined ? "(none)" : oneLine(field.before)} -> ${field.after === undefined ? "(none)" : oneLine(field.after)}`;
}

/** Terse lines, one per change: `~ alert CheckoutHighErrorRate (page): for 5m -> 10m`. */
export function renderText(changes: readonly Change[], options: { color: boolean }): string {
  return changes
    .map((change) => {
      const sign = options.color ? `\u001b[${COLOR[change.op]}m${SIGN[change.op]}\u001b[0m` : SIGN[change.op];
      const fields = change.fields.length > 0 ? `: ${change.fields.map(fieldText).join("; ")}` : "";
      return `${sign} ${change.kind} ${change.name}${fields}\n`;
    })
    .join("");
}
