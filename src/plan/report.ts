// Plan reporters: pure (plan, opts) => string. Text (a table per namespace, then the steps in a
// safe order), JSON, and Markdown for a pull-request comment.

import type { AddressChange } from '../emulate/service-update.ts';
import type { Plan, PlanState, ServicePlan } from './plan.ts';
import { planExitCode } from './plan.ts';
import { mdEscape } from '../report/markdown.ts';

export type PlanFormat = 'text' | 'json' | 'markdown';
export const PLAN_FORMATS: readonly PlanFormat[] = ['text', 'json', 'markdown'];

const fam = (s: PlanState | null): string => (s ? (s.ipFamilies.length > 0 ? s.ipFamilies.join(',') : '-') : '-');
const pol = (s: PlanState | null): string => (s?.ipFamilyPolicy ?? '-');
const change = (a: string, b: string, action: string): string => (action === 'create' ? b : a === b ? a : `${a} -> ${b}`);

function ips(p: ServicePlan): string {
  const out: string[] = [];
  if (p.after?.clusterIPs[0] === 'None' || (p.before?.clusterIPs[0] === 'None' && p.outcome === 'accepted')) return 'None (headless)';
  for (const ip of p.addresses.kept) out.push(`${ip} kept`);
  for (const a of p.addresses.allocated) out.push(`${a.ip ?? `new ${a.family}`} ${a.ip ? 'requested' : 'allocated'}`);
  for (const r of p.addresses.released) out.push(`${r.ip ?? r.family} released`);
  if (out.length === 0 && p.before) out.push(...p.before.clusterIPs.filter((ip) => ip !== ''));
  return out.join(', ') || '-';
}

const describeChanges = (a: readonly AddressChange[]): string => a.map((x) => x.ip ?? `a new ${x.family} address`).join(', ');

function tableText(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

const byNamespace = (plan: Plan): Map<string, ServicePlan[]> => {
  const m = new Map<string, ServicePlan[]>();
  for (const s of plan.services) m.set(s.namespace, [...(m.get(s.namespace) ?? []), s]);
  return m;
};

const row = (s: ServicePlan): string[] => [
  s.name, s.action, s.outcome, s.outcome === 'rejected' ? pol(s.before) : change(pol(s.before), pol(s.after), s.action),
  s.outcome === 'rejected' ? fam(s.before) : change(fam(s.before), fam(s.after), s.action), ips(s),
];
const HEAD = ['SERVICE', 'ACTION', 'OUTCOME', 'POLICY', 'FAMILIES', 'CLUSTER IPS'];

/** The steps of the rollout, in a safe order. */
export function planSteps(plan: Plan): string[] {
  const steps: string[] = [];
  const ref = (s: ServicePlan): string => `${s.namespace}/${s.name}`;
  const missingFamily = plan.services.filter((s) => s.outcome === 'rejected' && s.errors.some((e) => /not configured (on this cluster|for dual-stack services)/.test(e)));
  if (missingFamily.length > 0) {
    steps.push(`Cluster families first: ${missingFamily.map(ref).join(', ')} ask for a Service family the cluster does not allocate (${plan.clusterFamilies.families.join(',')}); add it to kube-apiserver --service-cluster-ip-range (the \`kubernetes\` ServiceCIDR follows) before applying them`);
  }
  const fams = plan.clusterFamilies.families;
  const staysSingle = fams.length === 1
    ? plan.services.filter((s) => s.outcome === 'accepted' && s.after?.ipFamilyPolicy === 'PreferDualStack' && s.after.ipFamilies.length === 1)
    : [];
  if (staysSingle.length > 0) {
    steps.push(`Cluster families first: on this ${fams[0]}-only cluster ${staysSingle.map(ref).join(', ')} (PreferDualStack) get ${fams[0]} only, and are not upgraded when the cluster later gains a family unless their ipFamilies or policy change; convert the cluster to dual-stack before applying them, or re-plan after the conversion`);
  }
  const upgrades = plan.services.filter((s) => s.outcome === 'accepted' && s.action === 'update' && s.addresses.allocated.length > 0);
  if (upgrades.length > 0) steps.push(`Upgrade in place: ${upgrades.map((s) => `${ref(s)} (gets ${describeChanges(s.addresses.allocated)})`).join('; ')}`);
  const downgrades = plan.services.filter((s) => s.outcome === 'accepted' && s.action === 'update' && s.addresses.released.length > 0);
  if (downgrades.length > 0) steps.push(`Release in place: ${downgrades.map((s) => `${ref(s)} (releases ${describeChanges(s.addresses.released)})`).join('; ')}: clients using those addresses lose the Service`);
  const creates = plan.services.filter((s) => s.outcome === 'accepted' && s.action === 'create');
  if (creates.length > 0) steps.push(`Create: ${creates.map(ref).join(', ')}`);
  for (const s of plan.services.filter((x) => x.outcome === 'recreate')) {
    steps.push(`Recreate ${ref(s)} (kubectl delete service, then apply): ${s.reason}. Cost: ${(s.cost ?? []).join('; ')}`);
  }
  const rejected = plan.services.filter((s) => s.outcome === 'rejected' && !missingFamily.includes(s));
  if (rejected.length > 0) steps.push(`Fix before applying: ${rejected.map((s) => `${ref(s)}: ${s.message ?? s.errors.join('; ')}`).join(' | ')}`);
  return steps;
}

function headerLines(plan: Plan): string[] {
  const a = plan.against;
  const where = a.kind === 'live' ? `context "${a.context ?? ''}" (${a.source}, read-only)` : `${a.source}${a.context ? ` (snapshot of context "${a.context}")` : ''}`;
  const fams = plan.clusterFamilies;
  return [
    `Plan: ${plan.services.length} Service(s) from ${plan.sources.join(', ')} against ${where}, method ${plan.method}`,
    `Cluster Service families: ${fams.families.join(',')} (${fams.from === 'flag' ? 'from --cluster-families' : 'inferred'})`,
    ...fams.evidence.map((e) => `  - ${e}`),
  ];
}

function summaryLine(plan: Plan): string {
  const s = plan.summary;
  return `Summary: ${s.create} to create, ${s.update} to update, ${s.unchanged} unchanged; ${s.accepted} accepted, ${s.rejected} rejected, ${s.recreate} to recreate` +
    ` (exit ${planExitCode(plan)})`;
}

export function formatPlanText(plan: Plan): string {
  const out = [...headerLines(plan), ''];
  for (const [ns, list] of byNamespace(plan)) {
    out.push(`namespace ${ns}`, tableText(HEAD, list.map(row)));
    for (const s of list) {
      const loc = s.location ? ` (${s.location.file}:${s.location.line})` : '';
      if (s.message) out.push(`  ${s.name}${loc}: ${s.outcome}: ${s.message}`);
      if (s.reason && s.outcome !== 'accepted') out.push(`    ${s.reason}`);
      for (const c of s.cost ?? []) out.push(`    cost: ${c}`);
      for (const n of s.notes ?? []) out.push(`  ${s.name}: ${n}`);
    }
    out.push('');
  }
  if (plan.notManaged.length > 0 || plan.notManagedElsewhere > 0) {
    out.push(`Not managed by these manifests: ${plan.notManaged.map((n) => `${n.namespace}/${n.name} (${n.state.ipFamilyPolicy ?? '-'} ${n.state.ipFamilies.join(',') || '-'})`).join(', ') || 'none in these namespaces'}` +
      `${plan.notManagedElsewhere > 0 ? `; ${plan.notManagedElsewhere} more Service(s) in other namespaces` : ''}`, '');
  }
  for (const n of plan.notes) out.push(`Note: ${n}`, '');
  for (const p of plan.problems) out.push(`problem: ${p.file ? `${p.file}${p.line ? `:${p.line}` : ''}: ` : ''}${p.message}`);
  if (plan.problems.length > 0) out.push('');
  const steps = planSteps(plan);
  out.push('Steps, in a safe order:', ...(steps.length > 0 ? steps.map((s, i) => `  ${i + 1}. ${s}`) : ['  nothing to do: no Service changes']), '', summaryLine(plan), '');
  return visible(out.join('\n'));
}

export const formatPlanJson = (plan: Plan): string => `${JSON.stringify(plan, null, 2)}\n`;

const code = (s: string): string => `\`${s.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;

/** Control characters from the input (names, messages) are shown escaped, never sent to the terminal. */
const visible = (s: string): string =>
  s.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function formatPlanMarkdown(plan: Plan): string {
  const out = ['## dualstack-audit plan', '', ...headerLines(plan).map((l) => (l.startsWith('  - ') ? l.slice(2) : `${l}  `)), ''];
  for (const [ns, list] of byNamespace(plan)) {
    out.push(`### namespace ${code(ns)}`, '', `| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => '---').join('|')}|`);
    for (const s of list) out.push(`| ${row(s).map(mdEscape).join(' | ')} |`);
    out.push('');
    for (const s of list) {
      if (s.message) out.push(`- **${mdEscape(s.name)}** ${s.outcome}: ${code(s.message)}`);
      for (const c of s.cost ?? []) out.push(`  - cost: ${mdEscape(c)}`);
      for (const n of s.notes ?? []) out.push(`- **${mdEscape(s.name)}**: ${mdEscape(n)}`);
    }
    out.push('');
  }
  if (plan.notManaged.length > 0) out.push(`Not managed by these manifests: ${plan.notManaged.map((n) => code(`${n.namespace}/${n.name}`)).join(', ')}`, '');
  for (const n of plan.notes) out.push(`> ${mdEscape(n)}`, '');
  const steps = planSteps(plan);
  out.push('### Steps, in a safe order', '', ...(steps.length > 0 ? steps.map((s, i) => `${i + 1}. ${mdEscape(s)}`) : ['Nothing to do.']), '', `**${summaryLine(plan)}**`, '');
  return visible(out.join('\n'));
}

export function formatPlan(plan: Plan, format: PlanFormat): string {
  if (format === 'json') return formatPlanJson(plan);
  if (format === 'markdown') return formatPlanMarkdown(plan);
  return formatPlanText(plan);
}
