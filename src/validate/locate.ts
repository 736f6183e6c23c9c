import path from "node:path";
import type { Node, Project, SourceFile } from "ts-morph";
import type { SourceLocation } from "../model/location.js";

type Morph = typeof import("ts-morph");

/**
 * Finds the exact place of a property in a monitor's object literal, from the location of
 * the define call and a path such as ["alerts", 2, "for"]. ts-morph is loaded only when a
 * diagnostic needs it, so a clean compile never pays for it.
 */
export class SourceLocator {
  #morph: Morph | undefined;
  #project: Project | undefined;
  readonly #files = new Map<string, SourceFile | undefined>();

  constructor(private readonly rootDir: string) {}

  async load(): Promise<void> {
    this.#morph ??= await import("ts-morph");
    this.#project ??= new this.#morph.Project({
      useInMemoryFileSystem: false,
      skipFileDependencyResolution: true,
      skipAddingFilesFromTsConfig: true,
      compilerOptions: { allowJs: true },
    });
  }

  /**
   * The location of the value at `path` inside the object passed to the call at `call`; for
   * `at: "key"`, the property's name (where an unknown key is best shown). Falls back to the
   * deepest node reached.
   */
  find(call: SourceLocation, keyPath: readonly PropertyKey[], at: "value" | "key" = "value"): SourceLocation {
    const file = this.#file(call.file);
    if (!file || !this.#morph) return call;
    const { SyntaxKind, Node: N } = this.#morph;
    let pos: number;
    try {
      pos = file.compilerNode.getPositionOfLineAndCharacter(call.line - 1, call.column - 1);
    } catch {
      return call;
    }
    const target = innermostCall(file, pos, this.#morph);
    if (!target) return call;
    let node: Node | undefined = N.isCallExpression(target) ? target.getArguments()[0] : target;
    let keyNode: Node | undefined;
    for (const segment of keyPath) {
      node = node && unwrap(node, this.#morph);
      if (!node) break;
      if (typeof segment === "number" && N.isArrayLiteralExpression(node)) {
        const element = node.getElements()[segment];
        if (!element || element.getKind() === SyntaxKind.SpreadElement) break;
        node = element;
        keyNode = undefined;
      } else if (typeof segment === "string" && N.isObjectLiteralExpression(node)) {
        const property = node.getProperty(segment) ?? node.getProperty(JSON.stringify(segment));
        if (!property) break;
        keyNode = N.isPropertyAssignment(property) || N.isShorthandPropertyAssignment(property) ? property.getNameNode() : property;
        node = N.isPropertyAssignment(property) ? property.getInitializer() : property;
        if (N.isShorthandPropertyAssignment(property)) node = property.getNameNode();
      } else {
        break;
      }
    }
    const chosen = at === "key" && keyNode ? keyNode : node ?? target;
    return this.position(call.file, chosen.getStart());
  }

  /** File, line and column of an offset in a file. */
  position(file: string, offset: number): SourceLocation {
    const source = this.#file(file);
    if (!source) return { file, line: 1, column: 1 };
    const { line, character } = source.compilerNode.getLineAndCharacterOfPosition(offset);
    return { file, line: line + 1, column: character + 1 };
  }

  /**
   * The location of character `offset` of the string or template written at `value`
   * (a location found by `find`), counting the opening quote or backtick.
   */
  insideLiteral(value: SourceLocation, offset: number): SourceLocation {
    const file = this.#file(value.file);
    if (!file) return value;
    const start = file.compilerNode.getPositionOfLineAndCharacter(value.line - 1, value.column - 1);
    const text = file.getFullText();
    let literalStart = start;
    // A tagged template's location is its tag: move to the backtick.
    while (literalStart < text.length && !"'\"`".includes(text[literalStart]!)) literalStart++;
    if (literalStart >= text.length) return value;
    return this.position(value.file, literalStart + 1 + offset);
  }

  /** Resolves a position inside the template literal of the tagged template at `tag`. */
  inTemplate(tag: SourceLocation, resolve: (template: Node) => number | undefined): SourceLocation {
    const file = this.#file(tag.file);
    if (!file || !this.#morph) return tag;
    const pos = file.compilerNode.getPositionOfLineAndCharacter(tag.line - 1, tag.column - 1);
    const call = innermostCall(file, pos, this.#morph);
    if (!call || !this.#morph.Node.isTaggedTemplateExpression(call)) return tag;
    const offset = resolve(call.getTemplate());
    return offset === undefined ? tag : this.position(tag.file, offset);
  }

  get morph(): Morph | undefined {
    return this.#morph;
  }

  #file(relative: string): SourceFile | undefined {
    if (!this.#files.has(relative)) {
      const absolute = path.resolve(this.rootDir, relative);
      this.#files.set(relative, this.#project?.addSourceFileAtPathIfExists(absolute));
    }
    return this.#files.get(relative);
  }
}

function innermostCall(file: SourceFile, pos: number, morph: Morph): Node | undefined {
  const { Node: N } = morph;
  let best: Node | undefined;
  const visit = (node: Node) => {
    if (pos < node.getFullStart() || pos >= node.getEnd()) return;
    if (N.isCallExpression(node) || N.isTaggedTemplateExpression(node) || N.isNewExpression(node)) best = node;
    node.forEachChild(visit);
  };
  file.forEachChild(visit);
  return best;
}

/** Looks through parentheses, `as`, `satisfies`, define calls and same-file constants. */
function unwrap(start: Node, morph: Morph): Node | undefined {
  const { Node: N } = morph;
  let node: Node | undefined = start;
  for (let hops = 0; node && hops < 10; hops++) {
    if (N.isParenthesizedExpression(node) || N.isAsExpression(node) || N.isSatisfiesExpression(node)) {
      node = node.getExpression();
    } else if (N.isCallExpression(node) && /^define[A-Z]/.test(node.getExpression().getText().split(".").pop() ?? "")) {
      node = node.getArguments()[0];
    } else if (N.isIdentifier(node)) {
      // A top-level constant of the same file; no type checker needed.
      const initializer = node.getSourceFile().getVariableDeclaration(node.getText())?.getInitializer();
      if (!initializer) return node;
      node = initializer;
    } else {
      return node;
    }
  }
  return node;
}

/**
 * The location of character `offset` of the text a `promql` template produced, written at
 * `tag`; `chunks` are where each literal part starts in that text. An offset inside an
 * interpolated value points at the `${`.
 */
export function locateInTemplate(
  locator: SourceLocator,
  morph: Morph,
  tag: SourceLocation,
  chunks: readonly { offset: number; length: number }[],
  offset: number,
): SourceLocation {
  return locator.inTemplate(tag, (template) => {
    const { Node: N } = morph;
    const literalStarts = N.isNoSubstitutionTemplateLiteral(template)
      ? [template.getStart() + 1]
      : N.isTemplateExpression(template)
        ? [template.getHead().getStart() + 1, ...template.getTemplateSpans().map((s) => s.getLiteral().getStart() + 1)]
        : [];
    for (let i = chunks.length - 1; i >= 0; i--) {
      const chunk = chunks[i]!;
      if (offset >= chunk.offset) {
        const start = literalStarts[i];
        if (start === undefined) return undefined;
        const within = offset - chunk.offset;
        // Past the chunk: inside the interpolated value that follows it.
        return within <= chunk.length ? start + within : start + chunk.length;
      }
    }
    return undefined;
  });
}
