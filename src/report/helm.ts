// Helm locations in a report (issue 19): a finding read from `helm template` output has
// `location.file` = the `# Source:` name (chart-relative) and `location.rendered` = where it
// is in the rendered stream that was read. resolveHelmTemplates swaps the chart-relative name
// for the template's path in the repository when the resolver knows it; the line stays a line
// of the rendered output (Helm keeps no map to template lines), and every reporter says so. Pure.

import type { Finding, Report } from '../engine/types.ts';

export function resolveHelmTemplates(report: Report, resolve: (source: string) => string | undefined): Report {
  let changed = false;
  const findings = report.findings.map((f): Finding => {
    const loc = f.location;
    if (!loc?.rendered) return f;
    const file = resolve(loc.file);
    if (file === undefined || file === loc.file) return f;
    changed = true;
    return { ...f, location: { ...loc, file } };
  });
  return changed ? { ...report, findings } : report;
}
