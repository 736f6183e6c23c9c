/** One entry point for the four formats of `vigil status`; every renderer is pure. */
import { stableJson } from "../emit/output.js";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import type { StatusReport } from "./report.js";
import { renderText } from "./text.js";

export const STATUS_FORMATS = ["text", "markdown", "json", "html"] as const;
export type StatusFormat = (typeof STATUS_FORMATS)[number];

export function renderStatus(report: StatusReport, format: StatusFormat): string {
  switch (format) {
    case "text":
      return renderText(report);
    case "markdown":
      return renderMarkdown(report);
    case "json":
      return stableJson(report);
    case "html":
      return renderHtml(report);
  }
}
