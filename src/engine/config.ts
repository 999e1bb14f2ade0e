// The config file `.dualstack-audit.yaml`: rules on/off, severity overrides, the target
// cluster's families, exemptions, failOn and minScore. Validation is pure and strict: an
// unknown key or a bad value is a ConfigError naming the file and the key path
// (`.dualstack-audit.yaml: rules.foo: unknown rule`), which the CLI turns into exit 2.
// The CLI reads the file (and searches for it upward from the working directory).

import { readYamlDocument } from '../yaml/document.ts';
import { SEVERITIES, type Family, type Severity } from '../model/types.ts';
import type { FailOn } from './gate.ts';
import type { Exemption } from './suppress.ts';

export const CONFIG_FILE_NAMES = ['.dualstack-audit.yaml', '.dualstack-audit.yml'] as const;

export interface RuleSetting {
  readonly enabled?: boolean;
  readonly severity?: Severity;
}

export interface AuditConfig {
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly clusterFamilies?: readonly Family[];
  readonly exemptions: readonly Exemption[];
  readonly failOn?: FailOn;
  readonly minScore?: number;
  /** Accept partial coverage: kinds a live read could not read do not fail the gate (--allow-partial). */
  readonly allowPartial?: boolean;
  /** gke or generic (model/platform.ts); unset: inferred from the input. */
  readonly platform?: 'gke' | 'generic';
}

export const EMPTY_CONFIG: AuditConfig = { rules: {}, exemptions: [] };

export class ConfigError extends Error {}

const TOP_KEYS = ['rules', 'clusterFamilies', 'exemptions', 'failOn', 'minScore', 'allowPartial', 'platform'] as const;
const EXEMPTION_KEYS = ['rule', 'kind', 'namespace', 'name', 'reason'] as const;
const RULE_KEYS = ['enabled', 'severity'] as const;

const FAMILIES: Record<string, Family[]> = {
  ipv4: ['IPv4'], ipv6: ['IPv6'], 'ipv4,ipv6': ['IPv4', 'IPv6'], 'ipv6,ipv4': ['IPv6', 'IPv4'],
};

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v));
const camel = (k: string): string => k.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());

function unknownKey(allowed: readonly string[], key: string): string {
  const k = camel(key).toLowerCase();
  const near = allowed.find((a) => a.toLowerCase() === k || `${a.toLowerCase()}s` === k);
  return near ? `unknown key (did you mean ${near}?)` : `unknown key (allowed: ${allowed.join(', ')})`;
}

/** Validates a parsed config; `file` names it in errors. */
export function validateConfig(data: unknown, file: string, knownRules: ReadonlySet<string>): AuditConfig {
  const fail = (path: string, msg: string): never => {
    throw new ConfigError(`${file}: ${path ? `${path}: ` : ''}${msg}`);
  };
  if (data === null || data === undefined) return EMPTY_CONFIG;
  if (!isMap(data)) return fail('', `expected a mapping of ${TOP_KEYS.join(', ')} (got ${Array.isArray(data) ? 'a list' : show(data)})`);
  for (const k of Object.keys(data)) if (!(TOP_KEYS as readonly string[]).includes(k)) fail(k, unknownKey(TOP_KEYS, k));

  const severity = (path: string, v: unknown): Severity => {
    if (typeof v !== 'string' || !(SEVERITIES as readonly string[]).includes(v)) fail(path, `expected one of ${SEVERITIES.join(', ')} (got ${show(v)})`);
    return v as Severity;
  };

  const rules: Record<string, RuleSetting> = {};
  if (data.rules !== undefined && data.rules !== null) {
    if (!isMap(data.rules)) fail('rules', 'expected a mapping of rule id to off, on, a severity or {enabled, severity}');
    for (const [id, v] of Object.entries(data.rules as Record<string, unknown>)) {
      const p = `rules.${id}`;
      if (!knownRules.has(id)) fail(p, 'unknown rule (see `dualstack-audit rules`)');
      if (v === false || v === 'off') rules[id] = { enabled: false };
      else if (v === true || v === 'on') rules[id] = { enabled: true };
      else if (typeof v === 'string') rules[id] = { enabled: true, severity: severity(p, v) };
      else if (isMap(v)) {
        for (const k of Object.keys(v)) if (!(RULE_KEYS as readonly string[]).includes(k)) fail(`${p}.${k}`, unknownKey(RULE_KEYS, k));
        if (v.enabled !== undefined && typeof v.enabled !== 'boolean') fail(`${p}.enabled`, `expected true or false (got ${show(v.enabled)})`);
        rules[id] = {
          ...(v.enabled !== undefined ? { enabled: v.enabled as boolean } : {}),
          ...(v.severity !== undefined ? { severity: severity(`${p}.severity`, v.severity) } : {}),
        };
      } else fail(p, `expected off, on, a severity (${SEVERITIES.join(', ')}) or {enabled, severity} (got ${show(v)})`);
    }
  }

  let clusterFamilies: Family[] | undefined;
  if (data.clusterFamilies !== undefined) {
    const v = data.clusterFamilies;
    const key = typeof v === 'string' ? v : Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join(',') : undefined;
    clusterFamilies = key === undefined ? undefined : FAMILIES[key.toLowerCase().replace(/\s+/g, '')];
    if (!clusterFamilies) fail('clusterFamilies', `expected ipv4, ipv6, ipv4,ipv6 or ipv6,ipv4 (a string or a list, primary first; got ${show(v)})`);
  }

  const exemptions: Exemption[] = [];
  if (data.exemptions !== undefined && data.exemptions !== null) {
    if (!Array.isArray(data.exemptions)) fail('exemptions', 'expected a list of {rule, kind?, namespace?, name?, reason}');
    (data.exemptions as unknown[]).forEach((e, i) => {
      const p = `exemptions[${i}]`;
      if (!isMap(e)) return fail(p, 'expected a mapping {rule, kind?, namespace?, name?, reason}');
      for (const k of Object.keys(e)) if (!(EXEMPTION_KEYS as readonly string[]).includes(k)) fail(`${p}.${k}`, unknownKey(EXEMPTION_KEYS, k));
      if (typeof e.rule !== 'string' || e.rule === '') fail(`${p}.rule`, 'required: a rule id, or * for every rule');
      if (e.rule !== '*' && !knownRules.has(e.rule as string)) fail(`${p}.rule`, `unknown rule ${show(e.rule)} (see \`dualstack-audit rules\`)`);
      for (const k of ['kind', 'namespace', 'name'] as const) {
        if (e[k] !== undefined && (typeof e[k] !== 'string' || e[k] === '')) fail(`${p}.${k}`, `expected a non-empty string (* matches anything; got ${show(e[k])})`);
      }
      if (typeof e.reason !== 'string' || e.reason.trim() === '') fail(`${p}.reason`, 'required: say why this exemption is acceptable');
      exemptions.push({
        rule: e.rule as string,
        ...(e.kind !== undefined ? { kind: e.kind as string } : {}),
        ...(e.namespace !== undefined ? { namespace: e.namespace as string } : {}),
        ...(e.name !== undefined ? { name: e.name as string } : {}),
        reason: (e.reason as string).trim(),
      });
    });
  }

  let failOn: FailOn | undefined;
  if (data.failOn !== undefined) {
    if (typeof data.failOn !== 'string' || ![...SEVERITIES, 'never'].includes(data.failOn)) {
      fail('failOn', `expected one of ${[...SEVERITIES, 'never'].join(', ')} (got ${show(data.failOn)})`);
    }
    failOn = data.failOn as FailOn;
  }
  let minScore: number | undefined;
  if (data.minScore !== undefined) {
    if (typeof data.minScore !== 'number' || !Number.isFinite(data.minScore) || data.minScore < 0 || data.minScore > 100) {
      fail('minScore', `expected a number from 0 to 100 (got ${show(data.minScore)})`);
    }
    minScore = data.minScore as number;
  }
  if (data.allowPartial !== undefined && typeof data.allowPartial !== 'boolean') fail('allowPartial', `expected true or false (got ${show(data.allowPartial)})`);
  let platform: 'gke' | 'generic' | undefined;
  if (data.platform !== undefined) {
    if (data.platform !== 'gke' && data.platform !== 'generic') fail('platform', `expected gke or generic (got ${show(data.platform)})`);
    platform = data.platform as 'gke' | 'generic';
  }
  return {
    rules, exemptions,
    ...(clusterFamilies ? { clusterFamilies } : {}),
    ...(platform ? { platform } : {}),
    ...(failOn ? { failOn } : {}),
    ...(minScore !== undefined ? { minScore } : {}),
    ...(data.allowPartial === true ? { allowPartial: true } : {}),
  };
}

/** Parses and validates config text (YAML 1.2; JSON is YAML too). */
// yaml is loaded only when a config file exists (yaml/library.ts): start-up time.
export function parseConfig(text: string, file: string, knownRules: ReadonlySet<string>): AuditConfig {
  const read = readYamlDocument(text, { uniqueKeys: true, maxAliasCount: 100 });
  if ('error' in read) {
    // yaml's own text for this one names its API ("please use YAML.parseAllDocuments()").
    const why = read.code === 'MULTIPLE_DOCS' ? 'a config file is one YAML document; this one has a second after ---' : read.error;
    throw new ConfigError(`${file}${read.line ? `:${read.line}` : ''}: invalid YAML: ${why}`);
  }
  return validateConfig(read.value, file, knownRules);
}

/** What `dualstack-audit init` writes: every key, commented, valid as it stands. */
export const STARTER_CONFIG = `# dualstack-audit configuration (docs/configuration.md).
# Searched upward from the working directory; --config FILE picks another one.
# Command-line flags win over this file.

# The target cluster's Service families, primary first: ipv4, ipv6, ipv4,ipv6 or ipv6,ipv4.
# Unset: inferred from cluster config objects in the input, else ipv4,ipv6.
# clusterFamilies: ipv4,ipv6

# The platform the manifests run on: gke or generic. Unset: inferred from GKE evidence in
# the input (GKE annotations and kinds, a GKE cluster in any form, GKE nodes), else generic.
# platform: gke

# Exit 1 when an unsuppressed finding is at or above this severity
# (critical, high, medium, low, info, never).
failOn: high

# Exit 1 when the overall score (0-100) is below this.
# minScore: 80

# A live audit fails the gate when a kind could not be read (forbidden, failing, not a list,
# paging without progress, past its deadline): its rules judged nothing. true accepts that.
# allowPartial: false

# Per rule: off, on, a severity (critical, high, medium, low, info) or {enabled, severity}.
# \`dualstack-audit rules\` lists the ids.
rules: {}
#  service-load-balancer-ip-deprecated: off
#  service-single-stack: high

# Findings that are accepted, with the reason. kind, namespace and name are optional
# and match exactly or as globs with *; rule: "*" matches every rule.
# A single resource can also say so itself, with annotations:
#   dualstack-audit.io/ignore: "rule-a,rule-b"
#   dualstack-audit.io/ignore-reason: "why"
exemptions: []
#  - rule: service-single-stack
#    kind: Service
#    namespace: legacy
#    name: "*"
#    reason: The legacy namespace is retired before the migration.
`;
