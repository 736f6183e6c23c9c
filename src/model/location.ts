/** Where a monitor object was declared. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * A raw V8 call site in the loaded bundle, before source mapping. The loader turns it
 * into a SourceLocation; keeping it raw makes each define call cheap.
 */
export interface RawCallSite {
  url: string;
  line: number;
  column: number;
}

// Symbol.for, not Symbol(): the compiler and the monitors may hold two copies of this
// module (built and source), and both must recognise the same marks.
export const CALL_SITE: unique symbol = Symbol.for("vigil.callSite") as never;

const thisModuleDir = new URL(".", import.meta.url).href.replace(/model\/$/, "");

// Every site captured while monitors load, so that the loader can map them all in one pass and
// then drop the decoded source map (170 MB at 1,000 services). On globalThis for the same
// reason as CALL_SITE.
const CAPTURED = Symbol.for("vigil.capturedCallSites");
type CaptureHolder = { [CAPTURED]?: RawCallSite[] };

/** Starts collecting the call sites captured from now on; the function returned stops and gives them. */
export function collectCallSites(): () => RawCallSite[] {
  const list: RawCallSite[] = [];
  (globalThis as CaptureHolder)[CAPTURED] = list;
  return () => {
    if ((globalThis as CaptureHolder)[CAPTURED] === list) delete (globalThis as CaptureHolder)[CAPTURED];
    return list;
  };
}

/** The first frame outside Vigil's own code: the line of the monitor that made the call. */
export function captureCallSite(): RawCallSite | undefined {
  const site = findCallSite();
  if (site) (globalThis as CaptureHolder)[CAPTURED]?.push(site);
  return site;
}

function findCallSite(): RawCallSite | undefined {
  const previous = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 20;
    Error.prepareStackTrace = (_error, frames) => frames;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, findCallSite);
    for (const frame of holder.stack ?? []) {
      const url = frame.getFileName() ?? frame.getScriptNameOrSourceURL();
      if (!url || url.startsWith(thisModuleDir) || url.startsWith("node:")) continue;
      return { url, line: frame.getLineNumber() ?? 0, column: frame.getColumnNumber() ?? 0 };
    }
    return undefined;
  } finally {
    Error.prepareStackTrace = previous;
    Error.stackTraceLimit = previousLimit;
  }
}

/** Marks a value with the place it was declared; the value itself is returned unchanged. */
export function markCallSite<T extends object>(value: T, site = captureCallSite()): T {
  if (site && !Object.prototype.hasOwnProperty.call(value, CALL_SITE)) {
    Object.defineProperty(value, CALL_SITE, { value: site, enumerable: false });
  }
  return value;
}

export function callSiteOf(value: unknown): RawCallSite | undefined {
  if (value === null || typeof value !== "object") return undefined;
  return (value as { [CALL_SITE]?: RawCallSite })[CALL_SITE];
}
