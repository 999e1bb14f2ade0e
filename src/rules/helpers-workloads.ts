// Helpers shared by the workload rules: targets for pod templates and for the ConfigMaps they
// use (model/config-map-users.ts), the text fields a container carries (command, args, env
// values), and message formatting. The literal scanners are model facts (model/literals.ts). Pure.

import type { JsonPath } from '../model/types.ts';
import type { Model } from '../model/build.ts';
import type { Container, Workload } from '../model/workloads.ts';
import type { ConfigMapUse } from '../model/config-map-users.ts';
import type { Target } from './types.ts';

export interface WorkloadTarget extends Target {
  readonly w: Workload;
}

export const workloadTarget = (w: Workload, severity?: Target['severity']): WorkloadTarget => ({
  ref: w.ref,
  ...(w.source ? { source: w.source } : {}),
  annotations: w.annotations,
  ...(severity ? { severity } : {}),
  ...(w.pods > 0 ? { pods: w.pods } : {}),
  w,
});

export const containerLabel = (c: Container): string => `${c.init ? 'init container' : 'container'} ${c.name}`;

/** A string a container passes to its process, with where it sits. */
export interface TextField {
  readonly container: Container;
  readonly where: string;
  readonly text: string;
  readonly path: JsonPath;
}

/** command, args and literal env values of every container (init containers first). */
export function* containerText(w: Workload): Generator<TextField> {
  for (const c of w.containers) {
    for (const f of c.command) yield { container: c, where: `command of ${containerLabel(c)}`, text: f.value, path: f.path };
    for (const f of c.args) yield { container: c, where: `args of ${containerLabel(c)}`, text: f.value, path: f.path };
    for (const e of c.env) {
      if (e.value !== undefined) yield { container: c, where: `env ${e.name} of ${containerLabel(c)}`, text: e.value, path: [...e.path, 'value'] };
    }
  }
}

/** A ConfigMap in the input that at least one pod template mounts or references (model/config-map-users.ts), as a target. */
export interface ConfigMapTarget extends Target, ConfigMapUse {}

/** The used ConfigMaps, in input order of their first user. */
export const usedConfigMaps = (model: Model): ConfigMapTarget[] =>
  model.usedConfigMaps.map((u) => ({ ref: u.cm.ref, ...(u.cm.source ? { source: u.cm.source } : {}), annotations: u.cm.annotations, ...u }));

/** The data keys of a used ConfigMap that its users read, in the ConfigMap's order. */
export const usedKeys = (t: ConfigMapTarget): string[] => Object.keys(t.cm.data).filter((k) => !t.keys || t.keys.has(k));

export const usersText = (users: readonly string[]): string =>
  users.length <= 2 ? users.join(' and ') : `${users.slice(0, 2).join(', ')} and ${users.length - 2} more`;

/** 1-based line inside a multi-line value, for messages about ConfigMap files. */
export const lineInText = (text: string, index: number): number => text.slice(0, index).split('\n').length;

export {
  ipv4Literals, peerIPv4Literals, ipv4Wildcards, hasIPv6Wildcard, isGoImage, isZoneFile, type IPv4Hit,
} from '../model/literals.ts';

/** "a, b, c and 2 more". */
export const listText = (items: readonly string[], max = 3): string =>
  items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;

/** A JSON path as a JSON Pointer (RFC 6901), for fixes. */
export const pointer = (path: JsonPath): string =>
  `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/** The line of a text around an index, trimmed and cut to about `max` characters around it, for messages. */
export function snippet(text: string, index: number, max = 60): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const nl = text.indexOf('\n', index);
  const raw = text.slice(start, nl < 0 ? text.length : nl);
  const lead = raw.length - raw.trimStart().length;
  const trimmed = raw.trim();
  // Runs of blanks collapse to one, and the position moves with them.
  const pos = Math.max(0, trimmed.slice(0, Math.max(0, index - start - lead)).replace(/\s+/g, ' ').length);
  const line = trimmed.replace(/\s+/g, ' ');
  if (line.length <= max) return line;
  const from = Math.max(0, Math.min(pos - Math.floor(max / 3), line.length - max));
  return `${from > 0 ? '…' : ''}${line.slice(from, from + max)}${from + max < line.length ? '…' : ''}`;
}
