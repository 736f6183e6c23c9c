/**
 * Grafana dashboard queries hold template variables ($service, ${service:regex}, [[service]],
 * $__rate_interval, $__interval, $__range) that are not PromQL until Grafana expands them. Each is
 * replaced by a placeholder of the same length that parses in its place (a duration inside [...]
 * or after "offset", a number after "@", a name elsewhere), so offsets still point into the
 * original text. Variables inside quoted strings are left alone: they are valid label values and
 * valid regexes as written.
 */

export interface Substitution {
  text: string;
  /** Start offset of each placeholder -> the variable as written. */
  variables: Map<number, string>;
}

const VARIABLE = /\$\{[^}\s]*\}|\$\w+|\[\[[^\]\s]*\]\]/y;

export function substituteGrafanaVariables(text: string): Substitution {
  let out = "";
  const variables = new Map<number, string>();
  let brackets = 0;
  for (let i = 0; i < text.length; ) {
    const c = text.charAt(i);
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < text.length && text.charAt(j) !== c) j += c !== "`" && text.charAt(j) === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === "#") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      out += text.slice(i, stop);
      i = stop;
      continue;
    }
    VARIABLE.lastIndex = i;
    const match = (c === "$" || c === "[") && VARIABLE.exec(text);
    if (match) {
      const length = match[0].length;
      const before = out.trimEnd();
      let placeholder: string;
      if (brackets > 0 || /(?:^|[^\w:])offset\s*-?\s*$/i.test(out)) placeholder = `${"0".repeat(length - 2)}1m`;
      else if (before.endsWith("@")) placeholder = `${"0".repeat(length - 1)}1`;
      else placeholder = `_${"v".repeat(length - 1)}`;
      variables.set(i, match[0]);
      out += placeholder;
      i += length;
      continue;
    }
    if (c === "[") brackets++;
    else if (c === "]") brackets = Math.max(0, brackets - 1);
    out += c;
    i++;
  }
  return { text: out, variables };
}
