import type { Diagnostic } from "../check/diagnostic.js";
import type { Bundler, PreparedBundle } from "../load/load.js";
import { compile } from "../pipeline.js";
import type { ChildMessage, ParentMessage, PortableResult } from "./protocol.js";

/**
 * The sandboxed side of `--sandbox`: started by run.ts under Node's permission model, it runs
 * the whole compile (monitors are evaluated here) and sends back plain data. The bundles come
 * from the parent, which alone may start esbuild and write files.
 */
const send = (message: ChildMessage) => process.send!(message);

const waiting = new Map<number, (answer: { bundle?: PreparedBundle; diagnostics: Diagnostic[] }) => void>();
let nextId = 0;

const parentBundler: Bundler = {
  prepare(rootDir, files, setAside) {
    const id = nextId++;
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      send({ type: "prepare", id, rootDir, files: [...files], ...(setAside && { setAside: [...setAside] }) });
    });
  },
  async dispose(bundle) {
    send({ type: "dispose", bundle });
  },
};

async function run(request: Extract<ParentMessage, { type: "compile" }>): Promise<void> {
  let rootDir = request.options.cwd;
  const result = await compile({
    ...request.options,
    bundler: {
      prepare: (root, files, setAside) => ((rootDir = root), parentBundler.prepare(root, files, setAside)),
      dispose: parentBundler.dispose,
    },
    onLoadPhase: (phase, files, timeoutMs) => send({ type: "phase", phase, files, timeoutMs, rootDir }),
  });
  const { plan: _plan, model: _model, ...portable } = result;
  send({ type: "result", result: portable satisfies PortableResult });
}

process.on("message", (message: ParentMessage) => {
  if (message.type === "prepared") {
    waiting.get(message.id)?.({ ...(message.bundle && { bundle: message.bundle }), diagnostics: message.diagnostics });
    waiting.delete(message.id);
    return;
  }
  run(message).catch((failure: unknown) => send({ type: "crash", stack: failure instanceof Error ? failure.stack ?? failure.message : String(failure) }));
});
