// Helm's `# Source: my-app/templates/service.yaml` names a template relative to the chart
// (helm template writes the chart's name, from Chart.yaml, then the path inside it), so reports
// that used it as is pointed at files that do not exist in the repository. This reader finds the
// charts under a root (the working directory, or --chart-root DIR) by their Chart.yaml and maps
// each chart-relative name to the repository path of the template, when exactly one chart holds
// it. I/O: reads directories and Chart.yaml files; bounded (depth, directory count), skips
// dependency, build and hidden directories.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SKIP = new Set(['node_modules', 'dist', 'build', 'vendor', 'target']);
export const CHART_SEARCH_LIMITS = { maxDepth: 8, maxDirs: 20_000 } as const;

/** Chart name -> the chart directories (absolute) found under root. */
export function findCharts(root: string, limits = CHART_SEARCH_LIMITS): Map<string, string[]> {
  const charts = new Map<string, string[]>();
  let seen = 0;
  const walk = (dir: string, depth: number): void => {
    if (depth > limits.maxDepth || ++seen > limits.maxDirs) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    if (names.includes('Chart.yaml')) {
      let name: string | undefined;
      try {
        name = /^name:\s*["']?([^"'\s#]+)/m.exec(readFileSync(join(dir, 'Chart.yaml'), 'utf8'))?.[1];
      } catch {
        name = undefined;
      }
      if (name) charts.set(name, [...(charts.get(name) ?? []), dir]);
    }
    for (const n of names.sort()) {
      if (n.startsWith('.') || SKIP.has(n)) continue;
      const p = join(dir, n);
      let isDir = false;
      try {
        isDir = statSync(p).isDirectory();
      } catch {
        isDir = false;
      }
      if (isDir) walk(p, depth + 1);
    }
  };
  walk(root, 0);
  return charts;
}

/**
 * A resolver from `# Source:` names to paths relative to `base` (the working directory, so the
 * reports' paths are as the user would type them). Subcharts (`my-app/charts/redis/templates/x.yaml`)
 * resolve inside the parent chart's directory when unpacked there. Undefined: not found, or
 * found in more than one chart (ambiguous).
 */
export function helmTemplateResolver(root: string, base: string): (source: string) => string | undefined {
  if (!existsSync(root)) return () => undefined;
  const charts = findCharts(root);
  const cache = new Map<string, string | undefined>();
  return (source) => {
    if (cache.has(source)) return cache.get(source);
    const [chart, ...rest] = source.split('/');
    let found: string | undefined;
    if (chart && rest.length > 0) {
      const hits = (charts.get(chart) ?? []).map((d) => join(d, ...rest)).filter((p) => existsSync(p));
      if (hits.length === 1) found = relative(base, hits[0]!).split(sep).join('/');
    }
    cache.set(source, found);
    return found;
  };
}
