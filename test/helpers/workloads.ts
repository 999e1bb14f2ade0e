// Builders for workload test YAML: a pod spec wrapped in any pod-template kind, so each rule is
// tested on every place a pod spec can sit. Line numbers count from the first line of the text.
import { fixture } from './yaml.ts';

export type TemplateKind = 'Pod' | 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'ReplicationController' | 'Job' | 'CronJob';

const HEAD: Readonly<Record<TemplateKind, (name: string, ns: string | undefined) => string[]>> = {
  Pod: (n, ns) => ['apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${n}`, ...(ns ? [`  namespace: ${ns}`] : []), `  labels: {app: ${n}}`, 'spec:'],
  Deployment: (n, ns) => tmpl('apps/v1', 'Deployment', n, ns),
  StatefulSet: (n, ns) => tmpl('apps/v1', 'StatefulSet', n, ns),
  DaemonSet: (n, ns) => tmpl('apps/v1', 'DaemonSet', n, ns),
  ReplicaSet: (n, ns) => tmpl('apps/v1', 'ReplicaSet', n, ns),
  ReplicationController: (n, ns) => ['apiVersion: v1', 'kind: ReplicationController', 'metadata:', `  name: ${n}`, ...(ns ? [`  namespace: ${ns}`] : []), 'spec:', '  template:', `    metadata: {labels: {app: ${n}}}`, '    spec:'],
  Job: (n, ns) => ['apiVersion: batch/v1', 'kind: Job', 'metadata:', `  name: ${n}`, ...(ns ? [`  namespace: ${ns}`] : []), 'spec:', '  template:', `    metadata: {labels: {app: ${n}}}`, '    spec:'],
  CronJob: (n, ns) => ['apiVersion: batch/v1', 'kind: CronJob', 'metadata:', `  name: ${n}`, ...(ns ? [`  namespace: ${ns}`] : []), 'spec:', '  schedule: "* * * * *"', '  jobTemplate:', '    spec:', '      template:', `        metadata: {labels: {app: ${n}}}`, '        spec:'],
};

function tmpl(apiVersion: string, kind: string, n: string, ns: string | undefined): string[] {
  return [`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata:', `  name: ${n}`, ...(ns ? [`  namespace: ${ns}`] : []), 'spec:',
    `  selector: {matchLabels: {app: ${n}}}`, '  template:', `    metadata: {labels: {app: ${n}}}`, '    spec:'];
}

const INDENT: Readonly<Record<TemplateKind, number>> = {
  Pod: 2, Deployment: 6, StatefulSet: 6, DaemonSet: 6, ReplicaSet: 6, ReplicationController: 6, Job: 6, CronJob: 10,
};

export const ALL_KINDS: readonly TemplateKind[] = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];

/**
 * A pod-template object whose pod spec is `podSpec` (written at indent 0). `line(k)` is the
 * line of the k-th (1-based) line of podSpec in the result.
 */
export function workload(kind: TemplateKind, podSpec: string, opts: { name?: string; namespace?: string } = {}): { yaml: string; line: (k: number) => number } {
  const head = HEAD[kind](opts.name ?? 'web', opts.namespace);
  const pad = ' '.repeat(INDENT[kind]);
  const body = podSpec.replace(/\n$/, '').split('\n').map((l) => (l === '' ? '' : pad + l));
  return { yaml: [...head, ...body, ''].join('\n'), line: (k) => head.length + k };
}

/** Documents joined with `---`; `offsets[i]` is the number of lines before document i. */
export function join(...docs: string[]): { yaml: string; offsets: number[] } {
  const offsets: number[] = [];
  let text = '';
  for (const d of docs) {
    if (text !== '') text += text.endsWith('\n') ? '---\n' : '\n---\n';
    offsets.push(text === '' ? 0 : text.split('\n').length - 1);
    text += d;
  }
  return { yaml: text, offsets };
}

/** A fixture under fixtures/corpus/. */
export const corpus = (path: string): string => fixture(`corpus/${path}`);
