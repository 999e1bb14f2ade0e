// Micro-benchmark (not a timed test): policy evaluation stays linear in the number of resources.
//
//   node --import tsx scripts/bench-policy.ts
//
// Generates in memory N namespaces, each with P Deployments (distinct app labels) and Q
// NetworkPolicies (a podSelector on one app, IPv4-only ipBlocks, so each one yields a finding),
// plus one namespace-wide policy per namespace, and times the policy model (buildPolicyModel:
// parsing and pod selection through the label index) plus the policy rules, at 1x and 10x; the
// whole buildModel (every other model too) is printed alongside for context. Two ways to grow 10x: more namespaces, and more pods and policies in each namespace
// (a pods x policies loop would show up there as ~100x). Prints the medians and the ratios;
// linear is ~10x. Environment: BENCH_NS, BENCH_PODS, BENCH_POLICIES (the 1x sizes), BENCH_RUNS.

import { buildModel } from '../src/model/build.ts';
import { buildPolicyModel } from '../src/model/policies.ts';
import { run } from '../src/engine/run.ts';
import { RULES } from '../src/rules/index.ts';
import type { InputDocument } from '../src/model/types.ts';

const POLICY_RULES = RULES.filter((r) => r.meta.category === 'policy');
const NS = Number(process.env.BENCH_NS ?? 20);
const PODS = Number(process.env.BENCH_PODS ?? 50);
const POLICIES = Number(process.env.BENCH_POLICIES ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function docs(ns: number, pods: number, policies: number): InputDocument[] {
  const out: InputDocument[] = [];
  for (let n = 0; n < ns; n++) {
    const namespace = `ns-${n}`;
    for (let p = 0; p < pods; p++) {
      const labels = { app: `app-${p}`, tier: p % 2 === 0 ? 'fe' : 'be' };
      out.push({ object: {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `app-${p}`, namespace },
        spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
      } });
    }
    for (let q = 0; q < policies; q++) {
      out.push({ object: {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `pol-${q}`, namespace },
        spec: {
          podSelector: { matchLabels: { app: `app-${q % Math.max(pods, 1)}` }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ ipBlock: { cidr: `10.${q % 250}.0.0/16`, except: [`10.${q % 250}.1.0/24`] } }, { podSelector: {} }] }],
          egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }],
        },
      } });
    }
    out.push({ object: {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    } });
  }
  return out;
}

interface Timing { policy: number; model: number; findings: number }

function timeOnce(input: readonly InputDocument[]): Timing {
  let t0 = performance.now();
  const model = buildModel(input, { clusterFamilies: { families: ['IPv4', 'IPv6'], from: 'flag' } });
  const modelMs = performance.now() - t0;
  t0 = performance.now();
  buildPolicyModel(input, model.workloads);
  const report = run(model, POLICY_RULES, {
    tool: { name: 'bench', version: '0' },
    target: { mode: 'files', sources: [], clusterFamilies: ['IPv4', 'IPv6'], familiesFrom: 'flag' },
  });
  return { policy: performance.now() - t0, model: modelMs, findings: report.findings.length };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(label: string, ns: number, pods: number, policies: number): number {
  const input = docs(ns, pods, policies);
  timeOnce(input); // warm-up (JIT)
  const runs: Timing[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(timeOnce(input));
  const ms = median(runs.map((r) => r.policy));
  const model = median(runs.map((r) => r.model));
  console.log(`${label.padEnd(36)} ${String(input.length).padStart(6)} docs  policy ${ms.toFixed(0).padStart(6)} ms  (buildModel ${model.toFixed(0).padStart(6)} ms)  ${runs[0]!.findings} findings`);
  return ms;
}

console.log(`policy rules: ${POLICY_RULES.map((r) => r.meta.id).join(', ')}`);
console.log(`median of ${RUNS} runs; "policy" = buildPolicyModel + the policy rules`);
const base = measure(`1x  (${NS} ns x ${PODS} pods x ${POLICIES} pol)`, NS, PODS, POLICIES);
const wide = measure(`10x namespaces (${NS * 10} ns)`, NS * 10, PODS, POLICIES);
const dense = measure(`10x per namespace (${PODS * 10} pods/${POLICIES * 10} pol)`, NS, PODS * 10, POLICIES * 10);
console.log(`ratio 10x namespaces / 1x:     ${(wide / base).toFixed(1)}  (linear: ~10)`);
console.log(`ratio 10x per namespace / 1x:  ${(dense / base).toFixed(1)}  (linear: ~10; a pods x policies loop would be ~100)`);
