/**
 * Type checking as Prometheus 2.42 does it after parsing (checkAST in promql/parser/parse.go),
 * with messages in a monitor author's words. A Grafana variable has type "any": it fits anywhere.
 */
import { COMPARISON_OPS, SET_OPS, type Expr, type Span } from "./ast.js";
import { finding, type Finding } from "./finding.js";
import { FUNCTIONS, TYPE_NAMES, type ValueType } from "./functions.js";

type Type = ValueType | "any";

const article = (type: ValueType) => (type === "vector" ? "an instant vector" : `a ${TYPE_NAMES[type]}`);

export function typecheck(root: Expr): Finding[] {
  const findings: Finding[] = [];
  const report = (span: Span, message: string, hint?: string) => findings.push(finding("promql-type", span, message, hint));

  const mismatch = (node: Expr, got: Type, want: ValueType, where: string) => {
    if (got === want || got === "any") return;
    const hint =
      want === "matrix" && got === "vector" ? "Add a range selector, e.g. [5m], to the metric inside." :
      want === "vector" && got === "matrix" ? "Drop the range, or reduce it first with a function such as rate(...) or max_over_time(...)." :
      want === "scalar" && got === "vector" ? "Use a number, or turn a single-series vector into a scalar with scalar(...)." :
      want === "string" ? 'Write a quoted string, e.g. "label".' : undefined;
    report(node, `${where} needs ${article(want)}, got ${article(got as ValueType)}`, hint);
  };

  function check(node: Expr): Type {
    switch (node.type) {
      case "number":
        return "scalar";
      case "string":
        return "string";
      case "selector":
        return "vector";
      case "variable":
        return "any";
      case "paren":
        return check(node.expr);
      case "matrix":
        check(node.selector);
        return "matrix";
      case "subquery": {
        const inner = check(node.expr);
        if (inner !== "vector" && inner !== "any") {
          report(node.expr, `a subquery [range:step] needs an instant vector, got ${article(inner)}`,
            inner === "matrix" ? "Reduce the range first, e.g. rate(x[5m])[1h:1m], or drop one of the ranges." : undefined);
        }
        return "matrix";
      }
      case "unary": {
        const inner = check(node.expr);
        if (inner !== "vector" && inner !== "scalar" && inner !== "any") {
          report(node, `unary "${node.op}" applies to instant vectors and scalars, not to ${article(inner)}`,
            inner === "matrix" ? "Reduce the range first, e.g. -rate(x[5m])." : undefined);
          return "any"; // reported once: the operators around it need not complain too
        }
        return inner;
      }
      case "call": {
        const signature = FUNCTIONS.get(node.name);
        const types = node.args.map(check);
        if (!signature) return "any";
        const { args, variadic } = signature;
        const count = node.args.length;
        let problem: string | undefined;
        if (variadic === 0 && count !== args.length) problem = `exactly ${args.length}`;
        else if (variadic !== 0 && count < args.length - 1) problem = `at least ${args.length - 1}`;
        else if (variadic > 0 && count > args.length - 1 + variadic) problem = `at most ${args.length - 1 + variadic}`;
        if (problem) {
          const plural = problem.endsWith(" 1") ? "argument" : "arguments";
          report(node, `${node.name}() takes ${problem} ${plural}, got ${count}`, `Write ${usage(node.name)}.`);
        }
        node.args.forEach((arg, i) => {
          if (i >= args.length && variadic === 0) return;
          const want = args[Math.min(i, args.length - 1)]!;
          mismatch(arg, types[i]!, want, `argument ${i + 1} of ${node.name}()`);
        });
        return signature.returns;
      }
      case "aggregate": {
        const types = node.args.map(check);
        const withParam = ["topk", "bottomk", "quantile", "count_values"].includes(node.op);
        if (node.args.length !== (withParam ? 2 : 1)) return "vector"; // reported by the parser
        const expr = node.args.at(-1)!;
        mismatch(expr, types.at(-1)!, "vector", `${node.op}(...)`);
        if (withParam) mismatch(node.args[0]!, types[0]!, node.op === "count_values" ? "string" : "scalar", `the parameter of ${node.op}`);
        return "vector";
      }
      case "binary": {
        const lt = check(node.lhs);
        const rt = check(node.rhs);
        const comparison = COMPARISON_OPS.has(node.op);
        const set = SET_OPS.has(node.op);
        const any = lt === "any" || rt === "any";
        if (node.bool && !comparison) report(node.opSpan, `"bool" only applies to comparison operators, not to "${node.op}"`, `Remove "bool".`);
        if (comparison && !node.bool && lt === "scalar" && rt === "scalar") {
          report(node.opSpan, "comparing two scalars needs the bool modifier", `Write "${node.op} bool" to get 0 or 1.`);
        }
        const matching = node.matching;
        if (matching?.on) {
          for (const label of matching.include) {
            if (matching.labels.includes(label)) {
              report(node.opSpan, `label "${label}" is both in on(...) and in ${matching.card === "many-to-one" ? "group_left" : "group_right"}(...)`,
                "A label matched with on(...) is already on both sides: remove it from the group modifier.");
            }
          }
        }
        for (const [side, type] of [[node.lhs, lt], [node.rhs, rt]] as const) {
          if (type !== "scalar" && type !== "vector" && type !== "any") {
            report(side, `operator "${node.op}" works on instant vectors and scalars, not on ${article(type)}`,
              type === "matrix" ? "Reduce the range first, e.g. rate(x[5m]) or max_over_time(x[5m])." : undefined);
          }
        }
        if (!any && (lt !== "vector" || rt !== "vector")) {
          if (matching && matching.labels.length > 0) {
            report(node.opSpan, `on(...)/ignoring(...) only apply between two instant vectors`, "Remove the vector matching clause: a scalar matches every series.");
          }
          if (set) {
            report(node.opSpan, `"${node.op}" works between two instant vectors, not with a scalar`, node.op === "or" ? "To default to a number, write: expr or vector(0)." : undefined);
          }
        } else if (set && matching && matching.card !== "one-to-one") {
          report(node.opSpan, `"${node.op}" cannot use group_left or group_right`, "Set operators always match many-to-many: remove the group modifier.");
        }
        if (lt === "scalar" && rt === "scalar") return "scalar";
        if (lt === "vector" || rt === "vector") return "vector";
        return any ? "any" : "vector";
      }
    }
  }

  const result = check(root);
  if (result === "matrix" || result === "string") {
    report(root, `the expression returns ${article(result)}: rules and graphs need an instant vector or a scalar`,
      result === "matrix" ? "Reduce the range, e.g. rate(x[5m]), or drop it." : undefined);
  }
  return findings;
}

function usage(name: string): string {
  const signature = FUNCTIONS.get(name)!;
  const names: Record<ValueType, string> = { scalar: "scalar", vector: "vector", matrix: "range-vector", string: '"string"' };
  const args = signature.args.map((t, i) => (signature.variadic > 0 && i >= signature.args.length - signature.variadic ? `[${names[t]}]` : names[t]));
  if (signature.variadic < 0) args.push("...");
  return `${name}(${args.join(", ")})`;
}

