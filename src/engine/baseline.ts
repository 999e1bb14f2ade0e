// Baselines: today's findings recorded so that a gate fails only on new ones. A fingerprint is
// the rule id, the resource (kind/namespace/name), the JSON path and the message, never the
// line or the file, so it survives moved lines and moved files. Entries carry a count, so the
// same finding on two copies of a resource (overlays) is matched as many times as recorded.

import { sha256HexPrefix } from './sha256.ts';
import { formatRef, type JsonPath, type ResourceRef } from '../model/types.ts';
import type { Finding, Report } from './types.ts';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly resource: string;
  readonly message: string;
  /** For people reading the file; not part of the fingerprint. */
  readonly file?: string;
  readonly count: number;
}

export interface Baseline {
  readonly version: typeof BASELINE_VERSION;
  readonly tool: string;
  readonly findings: readonly BaselineEntry[];
}

/**
 * A finding that summarises resources that come and go (RuleReport.key): known by its rule and
 * key alone, since even the resource it is reported on may be the first of those resources.
 */
export const keyFingerprint = (ruleId: string, key: string): string => sha256HexPrefix([ruleId, 'key', key].join('\u0000'), 16);

export function fingerprint(f: { ruleId: string; resource: ResourceRef; path: JsonPath; message: string }): string {
  const key = [f.ruleId, formatRef(f.resource), JSON.stringify(f.path), f.message].join('\u0000');
  return sha256HexPrefix(key, 16);
}

/** The baseline of a report: every finding not already suppressed some other way. */
export function createBaseline(report: Report): Baseline {
  const byFp = new Map<string, { e: Omit<BaselineEntry, 'count'>; count: number }>();
  // Folded consequences (engine/fold.ts) are recorded too, so they stay suppressed with their root cause.
  const all = report.findings.flatMap((f) => [f, ...(f.related ?? []).map((r) => ({ ...r, resource: r.resource ?? f.resource, suppressed: f.suppressed }))]);
  for (const f of all) {
    if (f.suppressed && f.suppressed.by !== 'baseline') continue;
    const fp = f.fingerprint ?? fingerprint(f);
    const cur = byFp.get(fp);
    if (cur) cur.count++;
    else {
      byFp.set(fp, {
        e: { fingerprint: fp, ruleId: f.ruleId, resource: formatRef(f.resource), message: f.message, ...(f.location ? { file: f.location.file } : {}) },
        count: 0,
      });
      byFp.get(fp)!.count++;
    }
  }
  const findings = [...byFp.values()].map(({ e, count }) => ({ ...e, count }))
    .sort((a, b) => (a.ruleId + a.resource + a.fingerprint < b.ruleId + b.resource + b.fingerprint ? -1 : 1));
  return { version: BASELINE_VERSION, tool: `${report.tool.name} ${report.tool.version}`, findings };
}

export function formatBaseline(b: Baseline): string {
  return `${JSON.stringify(b, null, 2)}\n`;
}

export class BaselineError extends Error {}

/** Validates parsed JSON as a baseline; throws BaselineError naming what is wrong. */
export function parseBaseline(data: unknown): Baseline {
  const bad = (m: string): never => {
    throw new BaselineError(m);
  };
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return bad('not a baseline: expected a JSON object (write one with --write-baseline)');
  const o = data as Record<string, unknown>;
  if (o.version !== BASELINE_VERSION) return bad(`version: expected ${BASELINE_VERSION} (got ${JSON.stringify(o.version)})`);
  if (!Array.isArray(o.findings)) return bad('findings: expected a list');
  const findings = o.findings.map((e: unknown, i): BaselineEntry => {
    if (e === null || typeof e !== 'object') return bad(`findings[${i}]: expected an object`);
    const x = e as Record<string, unknown>;
    for (const k of ['fingerprint', 'ruleId', 'resource', 'message'] as const) {
      if (typeof x[k] !== 'string') bad(`findings[${i}].${k}: expected a string`);
    }
    const count = x.count === undefined ? 1 : x.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) bad(`findings[${i}].count: expected a positive integer`);
    return {
      fingerprint: x.fingerprint as string, ruleId: x.ruleId as string, resource: x.resource as string, message: x.message as string,
      ...(typeof x.file === 'string' ? { file: x.file } : {}), count: count as number,
    };
  });
  return { version: BASELINE_VERSION, tool: typeof o.tool === 'string' ? o.tool : '', findings };
}

export function findingFingerprint(f: Finding): string {
  return f.fingerprint ?? fingerprint(f);
}
