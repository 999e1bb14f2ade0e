// src/plan/: how each --method builds the update request, how the cluster's Service families are
// inferred from stored objects, and the plan of small sets of Services (YAML through the real
// loader), with the reporters' shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPaths } from '../../src/load/files.ts';
import { updateRequest, LAST_APPLIED } from '../../src/plan/request.ts';
import { inferServiceFamilies } from '../../src/plan/families.ts';
import { planServices, planExitCode, type Plan, type PlanInput } from '../../src/plan/plan.ts';
import { formatPlanJson, formatPlanMarkdown, formatPlanText, planSteps } from '../../src/plan/report.ts';
import type { Family, InputDocument } from '../../src/model/types.ts';

async function docs(text: string): Promise<InputDocument[]> {
  const r = await loadPaths(['-'], { readStdin: async () => new TextEncoder().encode(text) });
  assert.deepEqual(r.problems, []);
  return r.documents;
}

const service = (name: string, spec: string, extra = ''): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\n${extra}spec:\n${spec.split('\n').map((l) => `  ${l}`).join('\n')}\n`;

const V4V6: Family[] = ['IPv4', 'IPv6'];

function input(manifests: InputDocument[], stored: InputDocument[], over: Partial<PlanInput> = {}): PlanInput {
  return {
    manifests, stored, clusterFamilies: { families: V4V6, from: 'flag', evidence: [] }, method: 'apply',
    against: { source: 'cluster.yaml', kind: 'objects' }, sources: ['k8s/'], tool: { name: 'dualstack-audit', version: '0.0.0' }, ...over,
  };
}

test('apply: a field in last-applied that the manifest dropped is deleted; fields never applied keep their live values', () => {
  const live = {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'web', annotations: { [LAST_APPLIED]: JSON.stringify({ spec: { ipFamilyPolicy: 'PreferDualStack', selector: { app: 'web', tier: 'x' } } }) } },
    spec: { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'], clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'], selector: { app: 'web', tier: 'x' } },
  };
  const manifest = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' } } };
  const r = updateRequest(manifest, live, 'apply');
  assert.equal(r.lastApplied, true);
  const spec = r.object.spec as Record<string, unknown>;
  assert.equal(spec.ipFamilyPolicy, undefined, 'applied before, omitted now: deleted');
  assert.deepEqual(spec.ipFamilies, ['IPv4'], 'never applied: kept');
  assert.deepEqual(spec.clusterIPs, ['10.0.0.1']);
  assert.deepEqual(spec.selector, { app: 'web' }, 'maps merge key by key; a dropped key is deleted');
  // Without the annotation nothing is deleted.
  const bare = updateRequest(manifest, { ...live, metadata: { name: 'web' } }, 'apply');
  assert.equal(bare.lastApplied, false);
  assert.equal((bare.object.spec as Record<string, unknown>).ipFamilyPolicy, 'PreferDualStack');
  // server-side keeps what the manifest omits; replace sends the manifest alone.
  assert.equal((updateRequest(manifest, live, 'server-side').object.spec as Record<string, unknown>).ipFamilyPolicy, 'PreferDualStack');
  assert.deepEqual(updateRequest(manifest, live, 'replace').object, manifest);
  // An explicit null deletes (strategic merge patch).
  const nulled = updateRequest({ ...manifest, spec: { ipFamilies: null } }, live, 'server-side');
  assert.equal((nulled.object.spec as Record<string, unknown>).ipFamilies, undefined);
});

test('cluster families: the kubernetes ServiceCIDR wins; else default/kubernetes and the Services\' addresses; else nothing', async () => {
  const cidr = await docs('apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: kubernetes}\nspec: {cidrs: ["fd00:10:96::/112", 10.96.0.0/16]}\n---\n' +
    'apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: extra}\nspec: {cidrs: [10.100.0.0/16]}\n');
  const a = inferServiceFamilies(cidr)!;
  assert.deepEqual(a.families, ['IPv6', 'IPv4']);
  assert.match(a.evidence[0]!, /^ServiceCIDR kubernetes .* spec\.cidrs \[fd00:10:96::\/112, 10\.96\.0\.0\/16\]: Services \[IPv6, IPv4\]$/);
  assert.ok(a.evidence.some((e) => e.startsWith('ServiceCIDR extra ') && e.endsWith(' [10.100.0.0/16] adds addresses, not a Service family')), String(a.evidence));

  const svcs = await docs('apiVersion: v1\nkind: Service\nmetadata: {name: kubernetes, namespace: default}\nspec: {clusterIP: 10.96.0.1}\n---\n' +
    'apiVersion: v1\nkind: Service\nmetadata: {name: dns, namespace: kube-system}\nspec: {clusterIPs: [10.96.0.10, "fd00::a"]}\n');
  const b = inferServiceFamilies(svcs)!;
  assert.deepEqual(b.families, ['IPv4', 'IPv6']);
  assert.ok(b.evidence.some((e) => e.startsWith('Service/default/kubernetes clusterIPs [10.96.0.1]: the primary Service family is IPv4')), String(b.evidence));

  const single = inferServiceFamilies(svcs.slice(0, 1))!;
  assert.deepEqual(single.families, ['IPv4']);
  assert.ok(single.evidence.some((e) => e.includes('no Service holds an IPv6 cluster IP')));
  assert.equal(inferServiceFamilies(await docs('apiVersion: v1\nkind: Node\nmetadata: {name: n}\nspec: {podCIDRs: [10.244.0.0/24]}\n')), undefined);
});

test('plan: create, upgrade in place, stale PreferDualStack, recreate of a LoadBalancer with its cost, rejection, not managed', async () => {
  const stored = await docs([
    service('cart', 'ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv4]\nclusterIP: 10.0.0.7\nclusterIPs: [10.0.0.7]\nselector: {app: cart}'),
    service('web', 'ipFamilyPolicy: SingleStack\nipFamilies: [IPv4]\nclusterIP: 10.0.0.8\nclusterIPs: [10.0.0.8]\nselector: {app: web}'),
    service('edge', 'type: LoadBalancer\nipFamilyPolicy: SingleStack\nipFamilies: [IPv4]\nclusterIP: 10.0.0.9\nclusterIPs: [10.0.0.9]\nselector: {app: edge}\nports: [{port: 443, nodePort: 30443}]') +
      'status:\n  loadBalancer:\n    ingress: [{ip: 203.0.113.9}]\n',
    service('db', 'clusterIP: None\nclusterIPs: [None]\nipFamilyPolicy: SingleStack\nipFamilies: [IPv4]\nselector: {app: db}'),
    service('old', 'ipFamilyPolicy: SingleStack\nipFamilies: [IPv4]\nclusterIP: 10.0.0.20\nclusterIPs: [10.0.0.20]'),
  ].join('---\n'));
  const manifests = await docs([
    service('new', 'ipFamilyPolicy: RequireDualStack\nselector: {app: new}'),
    service('cart', 'ipFamilyPolicy: PreferDualStack\nselector: {app: cart}'),
    service('web', 'ipFamilyPolicy: PreferDualStack\nselector: {app: web}'),
    service('edge', 'type: LoadBalancer\nipFamilyPolicy: PreferDualStack\nipFamilies: [IPv6, IPv4]\nselector: {app: edge}'),
    service('db', 'clusterIP: None\nipFamilyPolicy: SingleStack\nipFamilies: [IPv4, IPv6]\nselector: {app: db}'),
  ].join('---\n'));
  const plan = planServices(input(manifests, stored));
  const by = new Map(plan.services.map((s) => [s.name, s]));
  assert.deepEqual([...by.keys()], ['cart', 'db', 'edge', 'new', 'web']);

  const created = by.get('new')!;
  assert.deepEqual([created.action, created.outcome, created.before], ['create', 'accepted', null]);
  assert.deepEqual(created.after, { ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'], clusterIPs: ['', ''] });

  const cart = by.get('cart')!;
  assert.deepEqual([cart.action, cart.outcome], ['unchanged', 'accepted']);
  assert.ok(cart.notes?.some((n) => n.startsWith('stays single-stack: a PreferDualStack Service is not upgraded')));

  const web = by.get('web')!;
  assert.deepEqual([web.action, web.outcome], ['update', 'accepted']);
  assert.deepEqual(web.after?.ipFamilies, ['IPv4', 'IPv6']);
  assert.deepEqual(web.addresses, { kept: ['10.0.0.8'], allocated: [{ family: 'IPv6' }], released: [] });

  const edge = by.get('edge')!;
  assert.equal(edge.outcome, 'recreate');
  // The stored address stays in the request (kubectl apply keeps it), so the new primary family cannot match it.
  assert.equal(edge.message, 'Service "edge" is invalid: spec.clusterIPs[0]: Invalid value: "10.0.0.9": expected an IPv6 value as indicated by `ipFamilies[0]`');
  assert.ok(edge.cost?.some((c) => c.includes('external address(es) 203.0.113.9 are lost')), JSON.stringify(edge.cost));
  assert.ok(edge.cost?.some((c) => c.startsWith('cluster IP(s) 10.0.0.9 are released and new ones allocated')));
  assert.ok(edge.cost?.includes('node ports are allocated again unless the manifest pins them'));

  const db = by.get('db')!;
  assert.equal(db.outcome, 'rejected');
  assert.equal(db.message, 'Service "db" is invalid: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple IP families are specified');

  assert.deepEqual(plan.notManaged.map((n) => n.name), ['old']);
  assert.deepEqual(plan.summary, { create: 1, update: 3, unchanged: 1, accepted: 3, rejected: 1, recreate: 1 });
  assert.equal(planExitCode(plan), 1);
  assert.match(plan.notes[0]!, /^4 live Service\(s\) have no kubectl.kubernetes.io\/last-applied-configuration/);

  // Steps: upgrades before creations, then the recreation with its cost, then what to fix.
  const steps = planSteps(plan);
  assert.deepEqual(steps.map((s) => s.split(':')[0]), ['Upgrade in place', 'Create', 'Recreate shop/edge (kubectl delete service, then apply)', 'Fix before applying']);
});

test('plan: the LoadBalancer recreation names the reason, the primary family may not change', async () => {
  const stored = await docs(service('edge', 'type: LoadBalancer\nipFamilyPolicy: SingleStack\nipFamilies: [IPv4]\nclusterIP: 10.0.0.9\nclusterIPs: [10.0.0.9]\nselector: {app: edge}'));
  const manifests = await docs(service('edge', 'type: LoadBalancer\nipFamilyPolicy: SingleStack\nipFamilies: [IPv6]\nclusterIP: "fd00::9"\nclusterIPs: ["fd00::9"]\nselector: {app: edge}\nloadBalancerIP: 203.0.113.9'));
  const plan = planServices(input(manifests, stored, { method: 'replace' }));
  const edge = plan.services[0]!;
  assert.equal(edge.outcome, 'recreate');
  assert.equal(edge.message, 'Service "edge" is invalid: [spec.clusterIPs[0]: Invalid value: []string{"fd00::9"}: may not change once set, ' +
    'spec.ipFamilies[0]: Invalid value: []core.IPFamily{"IPv6"}: may not change once set]');
  assert.match(edge.reason!, /only deleting the Service and creating it again gets there/);
  assert.ok(edge.cost?.some((c) => c.includes('come back only if the address the manifest names is reserved')));
  assert.deepEqual(edge.after, { ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv6'], clusterIPs: ['fd00::9'] });
});

test('reporters: JSON carries the issue\'s contract; Markdown and text show a table per namespace and the steps', async () => {
  const stored = await docs(service('web', 'ipFamilyPolicy: SingleStack\nipFamilies: [IPv4]\nclusterIP: 10.0.0.8\nclusterIPs: [10.0.0.8]'));
  const manifests = await docs(service('web', 'ipFamilyPolicy: RequireDualStack'));
  const plan = planServices(input(manifests, stored, { method: 'server-side' }));
  const json = JSON.parse(formatPlanJson(plan)) as Plan;
  for (const k of ['schemaVersion', 'against', 'clusterFamilies', 'method', 'services']) assert.ok(k in json, k);
  assert.deepEqual(Object.keys(json.services[0]!).filter((k) => ['namespace', 'name', 'action', 'outcome', 'errors', 'before', 'after'].includes(k)).length, 7);
  assert.equal(json.method, 'server-side');
  const mdText = formatPlanMarkdown(plan);
  assert.match(mdText, /^## dualstack-audit plan/);
  assert.match(mdText, /\| web \| update \| accepted \| SingleStack -&gt; RequireDualStack \| IPv4 -&gt; IPv4,IPv6 \| 10\.0\.0\.8 kept, new IPv6 allocated \|/);
  const text = formatPlanText(plan);
  assert.match(text, /namespace shop\n {2}SERVICE +ACTION +OUTCOME/);
  assert.match(text, /1\. Upgrade in place: shop\/web \(gets a new IPv6 address\)/);
  assert.match(text, /exit 0\)\n$/);
});

test('reporters: control characters and Markdown syntax from the input are escaped', async () => {
  const manifests = await docs(service('"web\\u001b[31m|x"', 'ipFamilyPolicy: Sideways'));
  const plan = planServices(input(manifests, []));
  assert.equal(plan.services[0]!.outcome, 'rejected');
  const text = formatPlanText(plan);
  assert.ok(!text.includes('\u001b'), 'no raw ESC in the text report');
  assert.ok(text.includes('web\\u001b[31m|x'));
  const mdText = formatPlanMarkdown(plan);
  assert.ok(!mdText.includes('\u001b'));
  assert.match(mdText, /\| web\\u001b\\\[31m\\\|x \| create \| rejected \|/);
});
