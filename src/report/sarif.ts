// SARIF 2.1.0, as GitHub code scanning reads it: one run, the rule catalog in
// tool.driver.rules (helpUri = the rule's doc), a result per finding with a physical location
// (file, line, column) when it came from a file and a logical location (Kind/namespace/name)
// always, suppressed findings with `suppressions` (inSource for an annotation, external for
// the config file or the baseline), partialFingerprints that survive moved lines, and input
// problems and unused suppressions as tool execution notifications. Pure.

import { formatRef, type Severity, type SourceLocation } from '../model/types.ts';
import { docsUrl, type RuleMeta } from '../rules/types.ts';
import type { Finding, Report, Suppression } from '../engine/types.ts';
import { findingFingerprint } from '../engine/baseline.ts';
import { sha256Hex } from '../engine/sha256.ts';
import type { Replacement } from '../fix/replacement.ts';
import { notEvaluated, notEvaluatedLine } from './not-evaluated.ts';
import { storedLine } from './stored.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/dualstack-audit/dualstack-audit';
/**
 * The partialFingerprints key; bump the version if the fingerprint recipe changes. v2 (issue 19):
 * v1 was the baseline fingerprint alone, which leaves out the file, so the same finding on
 * copies of a resource in two files (overlays, environments) shared one and code scanning could
 * merge their alerts.
 */
export const FINGERPRINT_KEY = 'dualstackAuditFindingHash/v2';

/**
 * A result's partial fingerprint: the baseline fingerprint (rule, resource, JSON path, message;
 * no line, so it survives moved lines) plus the file, and `:N` for the Nth identical finding in
 * one file (as GitHub numbers its own primaryLocationLineHash), so no two results share one.
 */
export function sarifFingerprints(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const file = f.location?.file ?? '';
    const fp = file === '' ? findingFingerprint(f) : sha256Hex(`${findingFingerprint(f)}\u0000${file.replace(/\\/g, '/').replace(/^\.\//, '')}`).slice(0, 32);
    const n = (seen.get(fp) ?? 0) + 1;
    seen.set(fp, n);
    return `${fp}:${n}`;
  });
}

type Level = 'error' | 'warning' | 'note' | 'none';
export const SARIF_LEVEL: Readonly<Record<Severity, Level>> = {
  critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note',
};

/** GitHub sorts and filters by rank (0-100); our weights scaled. */
const RANK: Readonly<Record<Severity, number>> = { critical: 95, high: 80, medium: 50, low: 20, info: 5 };

export interface SarifOptions {
  /** uriBaseId for relative paths (GitHub resolves %SRCROOT% to the repository root). */
  readonly srcRoot?: string;
  /**
   * Per finding (by its index in report.findings), the text change its patch makes in its file
   * (fix/replacement.ts, computed by the CLI, which reads the files): result.fixes[].
   */
  readonly fixes?: ReadonlyMap<number, Replacement>;
}

/** SARIF 3.55 fix: one artifactChange with one replacement of whole lines. */
function sarifFix(f: Finding, rep: Replacement, srcRoot?: string): Record<string, unknown> | undefined {
  const artifact = f.location ? artifactLocation(f.location.file, srcRoot) : undefined;
  if (!artifact) return undefined;
  return {
    description: { text: sentence(`${f.fix?.kind === 'suggestion' ? 'Suggestion' : 'Fix'}: ${f.fix?.summary ?? f.ruleId}`) },
    artifactChanges: [{
      artifactLocation: artifact,
      replacements: [{
        deletedRegion: { startLine: rep.startLine, startColumn: rep.startColumn, endLine: rep.endLine, endColumn: rep.endColumn },
        insertedContent: { text: rep.text },
      }],
    }],
  };
}

/** A SourceLocation's file as a SARIF artifactLocation; undefined when it is no file (stdin). */
export function artifactLocation(file: string, srcRoot = '%SRCROOT%'): { uri: string; uriBaseId?: string } | undefined {
  if (file === '' || file === '<stdin>') return undefined;
  const p = file.replace(/\\/g, '/');
  const enc = (s: string): string => s.split('/').map((seg) => encodeURIComponent(seg)).join('/');
  if (/^[A-Za-z]:\//.test(p)) return { uri: `file:///${p.slice(0, 2)}${enc(p.slice(2))}` };
  if (p.startsWith('/')) return { uri: `file://${enc(p)}` };
  return { uri: enc(p.replace(/^\.\//, '')), uriBaseId: srcRoot };
}

function physical(loc: SourceLocation, srcRoot?: string): Record<string, unknown> | undefined {
  const artifact = artifactLocation(loc.file, srcRoot);
  if (!artifact) return undefined;
  return {
    artifactLocation: artifact,
    region: { startLine: Math.max(1, loc.line), startColumn: Math.max(1, loc.column) },
  };
}

/**
 * Helm output (issue 19): the line is a line of the rendered stream, so the region goes on the
 * rendered artifact and the template (repository path when resolved, else the chart-relative
 * `# Source:` name) is a related location without a region. Rendered from stdin there is no
 * artifact to hold a region: the template alone, without one.
 */
function helmLocations(loc: SourceLocation, at: NonNullable<SourceLocation['rendered']>, srcRoot?: string): { physical?: Record<string, unknown>; related?: Record<string, unknown> } {
  const template = artifactLocation(loc.file, srcRoot);
  const rendered = artifactLocation(at.file, srcRoot);
  if (!rendered) return template ? { physical: { artifactLocation: template } } : {};
  return {
    physical: { artifactLocation: rendered, region: { startLine: Math.max(1, at.line), startColumn: Math.max(1, loc.column) } },
    ...(template ? {
      related: {
        id: 0,
        physicalLocation: { artifactLocation: template },
        message: { text: 'The Helm template that rendered this resource (# Source:); the result\'s line is a line of the rendered output.' },
      },
    } : {}),
  };
}

const logical = (f: Finding): Record<string, unknown> => ({
  name: f.resource.name,
  fullyQualifiedName: formatRef(f.resource),
  kind: 'resource',
});

function suppression(s: Suppression): Record<string, unknown> {
  const justification = s.reason ?? (s.by === 'annotation' ? 'dualstack-audit.io/ignore annotation' : s.by === 'config' ? 'config file exemption' : 'baseline');
  return { kind: s.by === 'annotation' ? 'inSource' : 'external', status: 'accepted', justification };
}

function ruleDescriptor(m: RuleMeta): Record<string, unknown> {
  const help = `${m.fix.summary}\n\n${m.rationale}`;
  return {
    id: m.id,
    name: m.id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
    shortDescription: { text: m.title },
    fullDescription: { text: m.rationale },
    help: { text: help, markdown: `**${m.fix.summary}**\n\n${m.rationale}\n\n[Rule documentation](${docsUrl(m.id)})` },
    helpUri: docsUrl(m.id),
    defaultConfiguration: { level: SARIF_LEVEL[m.severity], rank: RANK[m.severity] },
    properties: { category: m.category, severity: m.severity, tags: ['dual-stack', 'ipv6', 'kubernetes', m.category] },
  };
}

function withFix(f: Finding, rep: Replacement | undefined, srcRoot?: string): { fixes?: Record<string, unknown>[] } {
  const fix = rep ? sarifFix(f, rep, srcRoot) : undefined;
  return fix ? { fixes: [fix] } : {};
}

/** Messages must end with a period in SARIF (SARIF2014); ours do not, by the style guide. */
const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

/** The SARIF log as one text (formatSarifChunks joined). */
export function formatSarif(report: Report, opts: SarifOptions = {}): string {
  let out = '';
  for (const c of formatSarifChunks(report, opts)) out += c;
  return out;
}

/** Stands for the results array in the log's skeleton: JSON.stringify cannot write it as text otherwise. */
const RESULTS_MARK = '\u0000dualstack-audit results\u0000';

/**
 * The SARIF log in pieces, as JSON.stringify(log, null, 2) writes it: the skeleton once, each
 * result as it is made. A log with every result in one object and then one string held about
 * 8 KB per finding at once (1.7 GB of RSS for the 100,000-document input's 28,764 findings).
 */
export function* formatSarifChunks(report: Report, opts: SarifOptions = {}): Generator<string> {
  const rules = [...report.rules];
  // Findings of a rule missing from the catalog (cannot happen through run()) still need a descriptor.
  for (const f of report.findings) {
    if (!rules.some((r) => r.id === f.ruleId)) throw new Error(`finding of rule ${f.ruleId}, which is not in report.rules`);
  }
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const fingerprints = sarifFingerprints(report.findings);
  const resultOf = (f: Finding, i: number): Record<string, unknown> => {
    const helm = f.location?.rendered ? helmLocations(f.location, f.location.rendered, opts.srcRoot) : undefined;
    const phys = helm ? helm.physical : f.location ? physical(f.location, opts.srcRoot) : undefined;
    const location: Record<string, unknown> = { logicalLocations: [logical(f)] };
    if (phys) location.physicalLocation = phys;
    const props: Record<string, unknown> = { severity: f.severity, category: f.category, resource: formatRef(f.resource), path: f.path };
    if (f.fix) props.fix = f.fix;
    if (f.related) props.related = f.related.map((r) => ({ ruleId: r.ruleId, severity: r.severity, message: r.message, path: r.path, ...(r.resource ? { resource: formatRef(r.resource) } : {}) }));
    if (f.location?.rendered) props.renderedLocation = f.location.rendered;
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: SARIF_LEVEL[f.severity],
      message: { text: sentence(f.message) },
      locations: [location],
      ...(helm?.related ? { relatedLocations: [helm.related] } : {}),
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i]! },
      ...(f.suppressed ? { suppressions: [suppression(f.suppressed)] } : {}),
      ...withFix(f, opts.fixes?.get(i), opts.srcRoot),
      properties: props,
    };
  };
  const notifications: Record<string, unknown>[] = [];
  for (const p of report.problems) {
    const phys = p.file ? physical({ file: p.file, line: p.line ?? 1, column: p.column ?? 1 }, opts.srcRoot) : undefined;
    notifications.push({
      level: p.fatal ? 'error' : 'warning',
      message: { text: sentence(p.file && !phys ? `${p.file}: ${p.message}` : p.message) },
      ...(phys ? { locations: [{ physicalLocation: phys }] } : {}),
      descriptor: { id: p.fatal ? 'input-invalid' : 'input-warning' },
    });
  }
  for (const u of report.unusedSuppressions ?? []) {
    const phys = u.location ? physical(u.location, opts.srcRoot) : undefined;
    notifications.push({
      level: 'note',
      message: { text: sentence(u.message) },
      ...(phys ? { locations: [{ physicalLocation: phys }] } : {}),
      descriptor: { id: 'unused-suppression' },
    });
  }
  // Kinds a live read (or its snapshot) could not list: the rules on them judged nothing there.
  for (const n of notEvaluated(report)) {
    notifications.push({
      level: 'warning',
      message: { text: sentence(`Not evaluated: ${notEvaluatedLine(n)}${n.rbac ? `; grant: ${n.rbac}` : ''}`) },
      descriptor: { id: 'not-evaluated' },
      properties: {
        kind: n.kind, apiVersion: n.apiVersion, ...(n.namespace ? { namespace: n.namespace } : {}), reason: n.reason,
        ...(n.rbac ? { rbac: n.rbac } : {}), rules: n.rules,
      },
    });
  }
  const stored = storedLine(report);
  if (stored) notifications.push({ level: 'note', message: { text: sentence(`Stored state: ${stored}`) }, descriptor: { id: 'stored-objects' } });
  const fatal = report.problems.some((p) => p.fatal);
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: report.tool.name,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        informationUri: INFORMATION_URI,
        rules: rules.map(ruleDescriptor),
      },
    },
    invocations: [{
      executionSuccessful: !fatal,
      ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
    }],
    automationDetails: { id: `dualstack-audit/${report.target.mode}/` },
    columnKind: 'utf16CodeUnits',
    results: RESULTS_MARK,
    properties: {
      score: report.score.overall,
      grade: report.score.grade,
      ...(report.score.coverage ? { coverage: report.score.coverage } : {}),
      clusterFamilies: report.target.clusterFamilies,
      familiesFrom: report.target.familiesFrom,
      ...(report.target.platform ? { platform: report.target.platform } : {}),
      ...(report.stored ? { stored: report.stored } : {}),
    },
  };
  const skeleton = `${JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] }, null, 2)}\n`;
  const mark = skeleton.indexOf(JSON.stringify(RESULTS_MARK));
  if (report.findings.length === 0) {
    yield `${skeleton.slice(0, mark)}[]${skeleton.slice(mark + JSON.stringify(RESULTS_MARK).length)}`;
    return;
  }
  // runs[0].results[i] is four levels deep: 8 spaces (JSON strings hold no raw line breaks).
  yield `${skeleton.slice(0, mark)}[`;
  for (let i = 0; i < report.findings.length; i++) {
    yield `${i === 0 ? '' : ','}\n        ${JSON.stringify(resultOf(report.findings[i]!, i), null, 2).replace(/\n/g, '\n        ')}`;
  }
  yield `\n      ]${skeleton.slice(mark + JSON.stringify(RESULTS_MARK).length)}`;
}
