// The GCP network layer in its three forms, for the GKE platform tests: the same facts written as
// Config Connector YAML, as `gcloud ... describe --format yaml` output (a YAML stream) and as
// `terraform show -json` (state or plan). auditGcp() runs them through the real loaders
// (loadPaths for manifests and KCC, loadGcp for --gcp files), the model and the engine.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { loadGcp, withGcp } from '../../src/load/gcp.ts';
import { buildModel } from '../../src/model/build.ts';
import { run } from '../../src/engine/run.ts';
import type { Rule } from '../../src/rules/types.ts';
import type { Family, Severity } from '../../src/model/types.ts';
import type { Report } from '../../src/engine/types.ts';
import type { PlatformName } from '../../src/model/platform.ts';

export type Form = 'kcc' | 'gcloud' | 'terraform';
export const FORMS: readonly Form[] = ['kcc', 'gcloud', 'terraform'];

export interface ClusterSpec {
  readonly kind: 'cluster';
  readonly name: string;
  readonly location?: string;
  readonly stackType?: string;
  readonly datapath?: string;
  readonly autopilot?: boolean;
  readonly routes?: boolean;
  readonly network?: string;
  readonly subnet?: string;
  readonly fqdn?: boolean;
  readonly metrics?: boolean;
  readonly relay?: boolean;
  readonly subsetting?: boolean;
}
export interface SubnetSpec {
  readonly kind: 'subnet';
  readonly name: string;
  readonly region?: string;
  readonly network?: string;
  readonly stackType?: string;
  readonly access?: string;
}
export interface NetworkSpec {
  readonly kind: 'network';
  readonly name: string;
  readonly ula?: boolean;
}
export interface AddressSpec {
  readonly kind: 'address';
  readonly name: string;
  /** Undefined: a global address. */
  readonly region?: string;
  readonly ipVersion?: string;
  readonly endpoint?: string;
}
export type GcpSpec = ClusterSpec | SubnetSpec | NetworkSpec | AddressSpec;

const P = 'demo-project';

// ---- Config Connector ----

function kccOne(s: GcpSpec): string {
  const l: string[] = [];
  if (s.kind === 'cluster') {
    l.push('apiVersion: container.cnrm.cloud.google.com/v1beta1', 'kind: ContainerCluster', 'metadata:', `  name: ${s.name}`, 'spec:', `  location: ${s.location ?? 'europe-west1'}`);
    l.push(`  networkingMode: ${s.routes ? 'ROUTES' : 'VPC_NATIVE'}`);
    if (s.datapath) l.push(`  datapathProvider: ${s.datapath}`);
    if (s.autopilot) l.push('  enableAutopilot: true');
    if (s.fqdn !== undefined) l.push(`  enableFqdnNetworkPolicy: ${s.fqdn}`);
    if (s.subsetting !== undefined) l.push(`  enableL4IlbSubsetting: ${s.subsetting}`);
    if (s.network) l.push(`  networkRef: {name: ${s.network}}`);
    if (s.subnet) l.push(`  subnetworkRef: {name: ${s.subnet}}`);
    l.push('  ipAllocationPolicy:', '    clusterSecondaryRangeName: pods');
    if (s.stackType) l.push(`    stackType: ${s.stackType}`);
    if (s.metrics !== undefined || s.relay !== undefined) {
      l.push('  monitoringConfig:', '    advancedDatapathObservabilityConfig:', `    - enableMetrics: ${s.metrics ?? false}`);
      if (s.relay !== undefined) l.push(`      relayMode: ${s.relay ? 'INTERNAL_VPC_LB' : 'DISABLED'}`);
    }
  } else if (s.kind === 'subnet') {
    l.push('apiVersion: compute.cnrm.cloud.google.com/v1beta1', 'kind: ComputeSubnetwork', 'metadata:', `  name: ${s.name}`, 'spec:', `  region: ${s.region ?? 'europe-west1'}`, '  ipCidrRange: 10.0.0.0/20');
    if (s.network) l.push(`  networkRef: {name: ${s.network}}`);
    if (s.stackType) l.push(`  stackType: ${s.stackType}`);
    if (s.access) l.push(`  ipv6AccessType: ${s.access}`);
  } else if (s.kind === 'network') {
    l.push('apiVersion: compute.cnrm.cloud.google.com/v1beta1', 'kind: ComputeNetwork', 'metadata:', `  name: ${s.name}`, 'spec:', '  autoCreateSubnetworks: false');
    if (s.ula !== undefined) l.push(`  enableUlaInternalIpv6: ${s.ula}`);
  } else {
    l.push('apiVersion: compute.cnrm.cloud.google.com/v1beta1', 'kind: ComputeAddress', 'metadata:', `  name: ${s.name}`, 'spec:', `  location: ${s.region ?? 'global'}`);
    if (s.ipVersion) l.push(`  ipVersion: ${s.ipVersion}`);
    if (s.endpoint) l.push(`  ipv6EndpointType: ${s.endpoint}`);
  }
  return l.join('\n');
}

export const kcc = (specs: readonly GcpSpec[]): string => `${specs.map(kccOne).join('\n---\n')}\n`;

// ---- gcloud describe --format yaml ----

function gcloudOne(s: GcpSpec): string {
  const l: string[] = [];
  const region = (r: string): string => `https://www.googleapis.com/compute/v1/projects/${P}/regions/${r}`;
  if (s.kind === 'cluster') {
    const loc = s.location ?? 'europe-west1';
    l.push(`name: ${s.name}`, `location: ${loc}`, `selfLink: https://container.googleapis.com/v1/projects/${P}/locations/${loc}/clusters/${s.name}`, 'currentMasterVersion: 1.33.2-gke.1000');
    if (s.autopilot) l.push('autopilot:', '  enabled: true');
    l.push('networkConfig:');
    if (s.network) l.push(`  network: projects/${P}/global/networks/${s.network}`);
    if (s.subnet) l.push(`  subnetwork: projects/${P}/regions/${loc}/subnetworks/${s.subnet}`);
    if (s.datapath) l.push(`  datapathProvider: ${s.datapath}`);
    if (s.fqdn !== undefined) l.push(`  enableFqdnNetworkPolicy: ${s.fqdn}`);
    if (s.subsetting !== undefined) l.push(`  enableL4ilbSubsetting: ${s.subsetting}`);
    l.push('ipAllocationPolicy:', `  useIpAliases: ${!s.routes}`);
    if (s.stackType) l.push(`  stackType: ${s.stackType}`);
    if (s.metrics !== undefined || s.relay !== undefined) {
      l.push('monitoringConfig:', '  advancedDatapathObservabilityConfig:', `    enableMetrics: ${s.metrics ?? false}`);
      if (s.relay !== undefined) l.push(`    enableRelay: ${s.relay}`);
    }
    l.push('nodePools:', '- name: default-pool');
  } else if (s.kind === 'subnet') {
    l.push(`name: ${s.name}`, 'kind: compute#subnetwork', `region: ${region(s.region ?? 'europe-west1')}`, 'ipCidrRange: 10.0.0.0/20');
    if (s.network) l.push(`network: https://www.googleapis.com/compute/v1/projects/${P}/global/networks/${s.network}`);
    if (s.stackType) l.push(`stackType: ${s.stackType}`);
    if (s.access) l.push(`ipv6AccessType: ${s.access}`);
  } else if (s.kind === 'network') {
    l.push(`name: ${s.name}`, 'kind: compute#network', 'autoCreateSubnetworks: false');
    if (s.ula !== undefined) l.push(`enableUlaInternalIpv6: ${s.ula}`);
  } else {
    l.push(`name: ${s.name}`, 'kind: compute#address', 'address: 203.0.113.7');
    if (s.region) l.push(`region: ${region(s.region)}`);
    if (s.ipVersion) l.push(`ipVersion: ${s.ipVersion}`);
    if (s.endpoint) l.push(`ipv6EndpointType: ${s.endpoint}`);
  }
  return l.join('\n');
}

export const gcloud = (specs: readonly GcpSpec[]): string => `${specs.map(gcloudOne).join('\n---\n')}\n`;

// ---- terraform show -json ----

const TF_TYPE: Readonly<Record<GcpSpec['kind'], string>> = {
  cluster: 'google_container_cluster', subnet: 'google_compute_subnetwork', network: 'google_compute_network', address: 'google_compute_address',
};

function tfValues(s: GcpSpec): Record<string, unknown> {
  if (s.kind === 'cluster') {
    return {
      name: s.name, location: s.location ?? 'europe-west1',
      networking_mode: s.routes ? 'ROUTES' : 'VPC_NATIVE',
      ...(s.datapath ? { datapath_provider: s.datapath } : {}),
      enable_autopilot: s.autopilot ?? false,
      ...(s.fqdn !== undefined ? { enable_fqdn_network_policy: s.fqdn } : {}),
      ...(s.subsetting !== undefined ? { enable_l4_ilb_subsetting: s.subsetting } : {}),
      ...(s.network ? { network: `projects/${P}/global/networks/${s.network}` } : {}),
      ...(s.subnet ? { subnetwork: `projects/${P}/regions/${s.location ?? 'europe-west1'}/subnetworks/${s.subnet}` } : {}),
      ip_allocation_policy: [{ cluster_secondary_range_name: 'pods', ...(s.stackType ? { stack_type: s.stackType } : {}) }],
      ...(s.metrics !== undefined || s.relay !== undefined
        ? { monitoring_config: [{ advanced_datapath_observability_config: [{ enable_metrics: s.metrics ?? false, ...(s.relay !== undefined ? { enable_relay: s.relay } : {}) }] }] }
        : {}),
    };
  }
  if (s.kind === 'subnet') {
    return {
      name: s.name, region: s.region ?? 'europe-west1', ip_cidr_range: '10.0.0.0/20',
      ...(s.network ? { network: `https://www.googleapis.com/compute/v1/projects/${P}/global/networks/${s.network}` } : {}),
      ...(s.stackType ? { stack_type: s.stackType } : {}), ...(s.access ? { ipv6_access_type: s.access } : {}),
    };
  }
  if (s.kind === 'network') return { name: s.name, auto_create_subnetworks: false, ...(s.ula !== undefined ? { enable_ula_internal_ipv6: s.ula } : {}) };
  return { name: s.name, ...(s.region ? { region: s.region } : {}), ...(s.ipVersion ? { ip_version: s.ipVersion } : {}), ...(s.endpoint ? { ipv6_endpoint_type: s.endpoint } : {}) };
}

const tfType = (s: GcpSpec): string => (s.kind === 'address' && !s.region ? 'google_compute_global_address' : TF_TYPE[s.kind]);

/**
 * A state (`values`) or a plan (`planned_values` plus resource_changes). Clusters go into a child
 * module `module.gke`, the rest into the root module. `unknown`: attributes the plan leaves unknown.
 */
export function terraform(specs: readonly GcpSpec[], opts: { plan?: boolean; unknown?: Readonly<Record<string, readonly string[]>> } = {}): string {
  const res = (s: GcpSpec, mod?: string): Record<string, unknown> => {
    const type = tfType(s);
    const local = s.name.replace(/[^a-z0-9_]/gi, '_');
    return { address: `${mod ? `${mod}.` : ''}${type}.${local}`, mode: 'managed', type, name: local, provider_name: 'registry.terraform.io/hashicorp/google', values: tfValues(s) };
  };
  const root = specs.filter((s) => s.kind !== 'cluster').map((s) => res(s));
  const gke = specs.filter((s) => s.kind === 'cluster').map((s) => res(s, 'module.gke'));
  const module = { resources: root, ...(gke.length > 0 ? { child_modules: [{ address: 'module.gke', resources: gke }] } : {}) };
  const doc = opts.plan
    ? {
      format_version: '1.2', terraform_version: '1.9.0', planned_values: { root_module: module },
      resource_changes: [...root, ...gke].map((r) => ({
        address: r.address, type: r.type, name: r.name,
        change: { actions: ['create'], after: r.values, after_unknown: Object.fromEntries((opts.unknown?.[String((r.values as { name: string }).name)] ?? []).map((k) => [k, true])) },
      })),
    }
    : { format_version: '1.0', terraform_version: '1.9.0', values: { root_module: module } };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export const render = (form: Form, specs: readonly GcpSpec[]): string => (form === 'kcc' ? kcc(specs) : form === 'gcloud' ? gcloud(specs) : terraform(specs));

/** 1-based line of the first line matching `key` at or after the first line containing `anchor`. */
export function lineAfter(text: string, anchor: string, key: RegExp): number {
  const lines = text.split('\n');
  // The anchor as a whole word: "name: shop" is not found in "name: shop-vpc".
  const from = lines.findIndex((l) => l.includes(anchor) && !/[\w-]/.test(l.charAt(l.indexOf(anchor) + anchor.length)));
  assert.ok(from >= 0, `anchor ${anchor} not found`);
  const i = lines.findIndex((l, n) => n >= from && key.test(l));
  assert.ok(i >= 0, `${key} not found after ${anchor}`);
  return i + 1;
}

/** The name line of a resource in each form ("name: shop" / "\"name\": \"shop\""). */
export const anchorOf = (form: Form, name: string): string => (form === 'terraform' ? `"name": "${name}"` : `name: ${name}`);

export interface GcpAudit {
  readonly report: Report;
  /** The text of the GCP layer (KCC: the file also holding the manifests' GCP part). */
  readonly gcpText: string;
  readonly gcpFile: string;
  readonly manifestFile: string;
}

/**
 * Audit `manifests` (YAML, may be empty) with the GCP layer `specs` in `form`: KCC as a second
 * manifest file, gcloud and Terraform through loadGcp (--gcp).
 */
export async function auditGcp(
  form: Form, specs: readonly GcpSpec[] | string, manifests: string, rules: readonly Rule[],
  opts: { clusterFamilies?: readonly Family[]; platform?: PlatformName } = {},
): Promise<GcpAudit> {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-gcp-'));
  try {
    const gcpText = typeof specs === 'string' ? specs : render(form, specs);
    const gcpFile = join(dir, form === 'terraform' ? 'tf.json' : `${form}.yaml`);
    writeFileSync(gcpFile, gcpText);
    const manifestFile = join(dir, 'manifests.yaml');
    writeFileSync(manifestFile, manifests);
    const loaded = await loadPaths(form === 'kcc' ? [manifestFile, gcpFile] : [manifestFile]);
    const gcp = form === 'kcc' ? undefined : loadGcp([gcpFile]);
    assert.deepEqual([...loaded.problems, ...(gcp?.problems ?? [])].filter((p) => p.fatal), [], 'the inputs must load');
    const locate = gcp ? withGcp(gcp, loaded.locator).locate : loaded.locator.locate;
    const families = opts.clusterFamilies;
    const model = buildModel([...loaded.documents, ...(gcp?.documents ?? [])], {
      locate,
      ...(families ? { clusterFamilies: { families, from: 'flag' } } : {}),
      ...(opts.platform ? { platform: { name: opts.platform, from: 'flag' } } : {}),
    });
    assert.ok(Object.isFrozen(model) && Object.isFrozen(model.gcp), 'model must be frozen');
    const report = run(model, rules, {
      locate, only: rules.map((r) => r.meta.id), live: false, resolve: true,
      tool: { name: 'dualstack-audit', version: 'test' },
      target: { mode: 'files', sources: [dir], clusterFamilies: [...model.clusterFamilies.families], familiesFrom: model.clusterFamilies.from, platform: model.platform },
      problems: loaded.problems,
    });
    return { report, gcpText, gcpFile, manifestFile };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface GcpExpected {
  readonly messageId: string;
  readonly severity?: Severity;
  readonly includes?: string;
  /** The line: in the GCP text (anchor = a resource name, key per form) or in the manifests. */
  readonly at: { readonly gcp: string; readonly key: Readonly<Record<Form, RegExp>> } | { readonly manifest: string; readonly key: RegExp };
}

export interface GcpCase {
  readonly name: string;
  readonly specs: readonly GcpSpec[];
  readonly manifests?: string;
  readonly clusterFamilies?: readonly Family[];
  readonly platform?: PlatformName;
  /** Forms to run (default all three). */
  readonly forms?: readonly Form[];
}

/** Table tests of a GCP-layer rule, each case in each of the three forms, through the real loaders. */
export function gcpRuleTester(rule: Rule, cases: { valid: readonly GcpCase[]; invalid: readonly (GcpCase & { findings: readonly GcpExpected[] })[] }): void {
  for (const c of cases.valid) {
    for (const form of c.forms ?? FORMS) {
      test(`${rule.meta.id} valid (${form}): ${c.name}`, async () => {
        const { report } = await auditGcp(form, c.specs, c.manifests ?? '', [rule], c);
        const mine = report.findings.filter((f) => f.ruleId === rule.meta.id);
        assert.deepEqual(mine.map((f) => `${f.location?.line}: ${f.message}`), []);
        const ev = report.evaluations.find((e) => e.ruleId === rule.meta.id);
        assert.ok(ev && ev.failed === 0 && ev.passed > 0, 'evaluated and passed');
      });
    }
  }
  for (const c of cases.invalid) {
    for (const form of c.forms ?? FORMS) {
      test(`${rule.meta.id} invalid (${form}): ${c.name}`, async () => {
        const manifests = c.manifests ?? '';
        const { report, gcpText } = await auditGcp(form, c.specs, manifests, [rule], c);
        const mine = report.findings.filter((f) => f.ruleId === rule.meta.id);
        assert.equal(mine.length, c.findings.length, `got:\n${mine.map((f) => `  ${f.location?.line} ${f.messageId}: ${f.message}`).join('\n')}`);
        c.findings.forEach((exp, i) => {
          const got = mine[i]!;
          assert.equal(got.messageId, exp.messageId);
          const at = exp.at;
          const line = 'gcp' in at ? lineAfter(gcpText, anchorOf(form, at.gcp), at.key[form]) : lineAfter(manifests, at.manifest, at.key);
          assert.equal(got.location?.line, line, `line of ${got.message}`);
          if ('gcp' in at) assert.match(got.location!.file, form === 'terraform' ? /tf\.json$/ : new RegExp(`${form}\\.yaml$`));
          if (exp.severity) assert.equal(got.severity, exp.severity);
          if (exp.includes) assert.ok(got.message.includes(exp.includes), `${got.message} should include ${exp.includes}`);
          assert.ok(!got.message.endsWith('.'));
        });
      });
    }
  }
}
