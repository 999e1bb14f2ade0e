// deploy/rbac.yaml rendered from the kind registry (pure). scripts/gen-rbac.ts writes it
// (npm run gen); test/live/rbac.test.ts fails when the committed file differs.

import { KINDS, LIVE_KINDS } from './model/kinds.ts';

/** The ClusterRole's rules: list on every kind the live read lists, one rule per API group in registry order. */
export function rbacRules(): { apiGroups: string[]; resources: string[]; verbs: string[] }[] {
  const byGroup = new Map<string, string[]>();
  for (const k of LIVE_KINDS) {
    const list = byGroup.get(k.group) ?? byGroup.set(k.group, []).get(k.group)!;
    if (!list.includes(k.plural)) list.push(k.plural);
  }
  return [...byGroup].map(([g, resources]) => ({ apiGroups: [g], resources, verbs: ['list'] }));
}

const q = (s: string): string => JSON.stringify(s);

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out;
}

export function rbacYaml(): string {
  // API groups served only by CRDs (every kind of the group optional).
  const optional = [...new Set(LIVE_KINDS.map((k) => k.group))].filter((g) => LIVE_KINDS.every((k) => k.group !== g || k.optional));
  const lines = [
    '# Generated from the kind registry (src/model/kinds.ts) by scripts/gen-rbac.ts (npm run gen); do not edit.',
    '#',
    '# Read-only access for `dualstack-audit` (no paths: audits the current context): list on exactly',
    '# the kinds a live audit reads, nothing else. Never Secrets, never get, watch or a write verb.',
    '#',
    '# ConfigMaps are listed in every namespace, but only those the audit recognises are kept (cluster',
    '# configuration such as kube-proxy, kubeadm-config, cilium-config and coredns, Corefiles,',
    '# ingress-nginx controller settings, Prometheus scrape configuration, and ConfigMaps a pod',
    '# template uses): every other ConfigMap is dropped as its page arrives, never stored, audited',
    '# or written to a snapshot. To keep ConfigMaps of other namespaces out of reach entirely, run',
    '# with `--configmaps kube-system`, remove "configmaps" from the ClusterRole and bind this Role:',
    '#',
    '#   apiVersion: rbac.authorization.k8s.io/v1',
    '#   kind: Role',
    '#   metadata: {name: dualstack-audit-configmaps, namespace: kube-system}',
    '#   rules: [{apiGroups: [""], resources: ["configmaps"], verbs: ["list"]}]',
    '#',
    '# The rules for custom resources are harmless where the CRD is absent:',
    ...wrap(optional.join(', '), 96).map((l) => `#   ${l}`),
    '# Bind with the ClusterRoleBinding below (edit the subject), or bind to a user:',
    '# kubectl create clusterrolebinding dualstack-audit --clusterrole=dualstack-audit --user=NAME',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRole',
    'metadata:',
    '  name: dualstack-audit',
    '  labels:',
    '    app.kubernetes.io/name: dualstack-audit',
    'rules:',
  ];
  for (const r of rbacRules()) {
    lines.push(`  - apiGroups: [${r.apiGroups.map(q).join(', ')}]`, `    resources: [${r.resources.map(q).join(', ')}]`, `    verbs: [${r.verbs.map(q).join(', ')}]`);
  }
  lines.push(
    '---',
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: dualstack-audit',
    '  namespace: default',
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRoleBinding',
    'metadata:',
    '  name: dualstack-audit',
    'roleRef:',
    '  apiGroup: rbac.authorization.k8s.io',
    '  kind: ClusterRole',
    '  name: dualstack-audit',
    'subjects:',
    '  - kind: ServiceAccount',
    '    name: dualstack-audit',
    '    namespace: default',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * docs/live-kinds.md: the registry as a table (kind, API, how a live audit reads it, the model
 * builders and the rules whose scope names it). `rules` are the rule metadata (id, scope).
 */
export function kindsDoc(rules: readonly { readonly id: string; readonly scope: readonly string[] }[]): string {
  const lines = [
    '<!-- Generated from the kind registry (src/model/kinds.ts) by scripts/gen-rbac.ts (npm run gen); do not edit. -->',
    '# Kinds a live audit reads',
    '',
    'Every kind the model reads, from the registry in `src/model/kinds.ts`. A live audit lists the',
    'kinds read `list` (optional ones only where discovery shows their API; otherwise the report',
    'names them as not installed); ConfigMaps (`recognised`) are listed after the pod templates and',
    'only those the model recognises are kept, the rest dropped as each page arrives and never',
    'stored or written to a snapshot. Kinds read `never` come from files only. `deploy/rbac.yaml`',
    'grants list on exactly the listed kinds.',
    '',
    '| kind | API (versions tried, preferred first) | live read | model | rules |',
    '|---|---|---|---|---|',
  ];
  for (const k of KINDS) {
    const api = k.read === 'never' ? (k.group || 'core') : `${k.group || 'core'}/${k.versions.join(', ')} \`${k.plural}\`${k.namespaced ? '' : ' (cluster)'}`;
    const how = k.read === 'never' ? `never: ${k.why}` : `${k.read}${k.optional ? ', optional' : ''}`;
    const users = rules.filter((r) => r.scope.includes(k.kind)).map((r) => `[${r.id}](rules/${r.id}.md)`);
    lines.push(`| ${k.kind} | ${api} | ${how} | ${k.builders.join(', ')} | ${users.join(', ') || '-'} |`);
  }
  return `${lines.join('\n')}\n`;
}
