import { importAlertmanager } from "./alertmanager.js";
import { importGrafana } from "./grafana.js";
import { importOpenSlo } from "./openslo.js";
import { importPrometheusRules } from "./prometheus-rules.js";
import { importSloth } from "./sloth.js";
import type { Imported, ImportOptions, SourceFile } from "./types.js";

/** What `vigil import KIND` reads, by kind. */
export const IMPORTERS: Record<string, (files: readonly SourceFile[], options: ImportOptions) => Imported> = {
  "prometheus-rules": importPrometheusRules,
  alertmanager: importAlertmanager,
  grafana: importGrafana,
  sloth: importSloth,
  openslo: importOpenSlo,
};
