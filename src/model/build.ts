// InputDocuments -> a frozen Model. Pure: no I/O, no clock.

import type { ClusterFamilies, Family, InputDocument, ResourceRef } from './types.ts';
import { isStoredObject, toResource, type Resource } from './resources.ts';
import { buildService, type Service } from './services.ts';
import { buildLive, withStoredFamilies, type LiveFacts } from './live.ts';
import { inferClusterFamilies } from './families.ts';
import { buildWorkloads, type ConfigMap, type Workload } from './workloads.ts';
import { buildPolicyModel, type PolicyModel } from './policies.ts';
import { buildFrontendModel, type FrontendModel } from './frontends.ts';
import { buildGkeModel, type GkeModel } from './gke.ts';
import { buildObservabilityModel, type ObservabilityModel } from './observability.ts';
import { buildCorefiles, collectDnsNames, headlessRecords, type CorefileSource, type DnsNameRef, type HeadlessRecords, type ResolvedName } from './dns.ts';
import { freezeDeep } from './freeze.ts';
import { withAddressIssues } from './prometheus.ts';
import { configMapUses, type ConfigMapUse } from './config-map-users.ts';
import { buildClusterConfig, mayHoldClusterConfig, type ClusterConfig, type Locate } from './cluster-config.ts';
import { buildGcpModel, gcpClusterFamilies, type GcpModel } from './gcp.ts';
import { clusterGkeEvidence, inferPlatform, type Platform, type PlatformName } from './platform.ts';
import { buildCoexistence, type Coexistence } from './coexist.ts';
import { buildDataPlaneModel, type DataPlaneModel } from './data-planes.ts';
import { buildIntegrations, type IntegrationsModel } from './integrations.ts';

export interface Model {
  readonly clusterFamilies: ClusterFamilies;
  /** Every object read, in input order. */
  readonly resources: readonly Resource[];
  readonly services: readonly Service[];
  /** Services that get both families on a dual-stack cluster with the same primary (ExternalName left out), in input order. */
  readonly dualStackServices: readonly Service[];
  /** Resources by kind, for rules that count a kind as their scope. */
  readonly byKind: ReadonlyMap<string, readonly Resource[]>;
  /** Every pod template (Pod, Deployment, ..., CronJob), with the Services that select it. */
  readonly workloads: readonly Workload[];
  /** ConfigMaps by "namespace/name". */
  readonly configMaps: ReadonlyMap<string, ConfigMap>;
  /** The ConfigMaps of the input that pod templates use, with the keys they read, in input order of their first user. */
  readonly usedConfigMaps: readonly ConfigMapUse[];
  /** Network policies of every flavour, with the pods each selects (model/policies.ts). */
  readonly policies: PolicyModel;
  /** Gateways, ingress-nginx ConfigMaps, Cloud Armor references (model/frontends.ts). */
  readonly frontends: FrontendModel;
  /** GKE Ingresses, the Services Google L7 proxies consume, GKE L4 facts, Cloud Armor policies (model/gke.ts). */
  readonly gke: GkeModel;
  /** Prometheus scrape jobs, Prometheus CRs, Hubble/Cilium settings (model/observability.ts). */
  readonly observability: ObservabilityModel;
  /** Parsed Corefiles (CoreDNS and node-local-dns ConfigMaps, Corefile files). */
  readonly corefiles: readonly CorefileSource[];
  /** DNS names the input publishes or depends on (what --resolve looks up). */
  readonly dnsNames: readonly DnsNameRef[];
  /** Answers of --resolve by name; undefined when no lookup was made. */
  readonly resolved?: ReadonlyMap<string, ResolvedName>;
  /** Headless Services whose endpoints are in the input, by "namespace/name": their dns comes from these. */
  readonly headlessDns: ReadonlyMap<string, HeadlessRecords>;
  /** The address plan read from cluster configuration objects (model/cluster-config.ts). */
  readonly clusterConfig: ClusterConfig;
  /** Live-only facts (a cluster run or a snapshot of one): model/live.ts. */
  readonly live?: LiveFacts;
  /** The GCP network layer: GKE clusters, node pools, VPC networks, subnets, addresses (model/gcp.ts). */
  readonly gcp: GcpModel;
  /**
   * Objects read as stored state (Resource.stored: the apiserver's marks), in input order: all of a
   * live read or snapshot, or the `kubectl get -o yaml` part of a file input.
   */
  readonly stored: readonly ResourceRef[];
  /** gke or generic: given, or inferred from GKE evidence (model/platform.ts). */
  readonly platform: Platform;
  /** Envoy Gateway, Contour and Istio settings (model/data-planes.ts). */
  readonly dataPlanes: DataPlaneModel;
  /** external-dns DNSEndpoints, GKE MultiClusterIngresses, kind cluster configs (model/integrations.ts). */
  readonly integrations: IntegrationsModel;
  /** Objects defined more than once, and which files are alternatives to each other (model/coexist.ts). */
  readonly coexistence: Coexistence;
}

export interface BuildOptions {
  /** From --cluster-families (or the config file); otherwise inferred, else the default. */
  readonly clusterFamilies?: { readonly families: readonly Family[]; readonly from: 'flag' | 'config' };
  /** Only these namespaces (cluster-scoped objects are kept). */
  readonly namespaces?: readonly string[];
  readonly excludeNamespaces?: readonly string[];
  /** Answers of --resolve (load/resolve.ts), by lower-case name. */
  readonly resolved?: ReadonlyMap<string, ResolvedName>;
  /** The loader's locate(), so that inferred cluster families name their evidence as file:line. Optional. */
  readonly locate?: Locate;
  /**
   * The documents are stored objects read from a cluster (or its snapshot): Service families
   * are what the apiserver stored, the cluster families are also inferred from what it
   * allocated, and the live facts are built. notRead: kinds the read could not list.
   */
  readonly live?: { readonly notRead?: readonly string[] };
  /** From --platform (or the config file); otherwise inferred. */
  readonly platform?: { readonly name: PlatformName; readonly from: 'flag' | 'config' };
}

/** The offline default when nothing says otherwise: the dual-stack target state, IPv4 primary. */
export const DEFAULT_CLUSTER_FAMILIES: readonly Family[] = ['IPv4', 'IPv6'];

export function buildModel(docs: readonly InputDocument[], opts: BuildOptions = {}): Model {
  const only = opts.namespaces && opts.namespaces.length > 0 ? new Set(opts.namespaces) : undefined;
  const exclude = new Set(opts.excludeNamespaces ?? []);
  // Cluster configuration first: Services depend on the cluster families it may reveal.
  const configDocs: { doc: InputDocument; resource: Resource }[] = [];
  for (const doc of docs) {
    if (!mayHoldClusterConfig(doc.object)) continue;
    const r = toResource(doc);
    const ns = r.ref.namespace;
    if (ns !== undefined && ((only && !only.has(ns)) || exclude.has(ns))) continue;
    configDocs.push({ doc, resource: r });
  }
  const clusterConfig = buildClusterConfig(configDocs, opts.locate);
  // One inference weighs every piece of evidence (model/families.ts); the flag or config file wins.
  // Stored objects in a file input (`kubectl get -o yaml`) are read as a snapshot is (issue 14 item 4):
  // their Services' clusterIPs are allocations.
  const storedDocs = opts.live ? docs : docs.filter((d) => isStoredObject(d.object));
  const gcp = buildGcpModel(docs);
  const fromGcp = gcpClusterFamilies(gcp, opts.locate);
  let clusterFamilies: ClusterFamilies;
  if (opts.clusterFamilies) {
    clusterFamilies = { families: opts.clusterFamilies.families, from: opts.clusterFamilies.from };
  } else {
    const inf = inferClusterFamilies({ docs, clusterConfig, ...(fromGcp ? { gke: fromGcp } : {}), storedDocs, ...(opts.locate ? { locate: opts.locate } : {}) });
    clusterFamilies = {
      families: inf.families, from: inf.from,
      ...(inf.evidence.length > 0 ? { evidence: inf.evidence } : {}), ...(inf.candidates ? { candidates: inf.candidates } : {}),
    };
  }

  const resources: Resource[] = [];
  const services: Service[] = [];
  const byKind = new Map<string, Resource[]>();
  const kept: InputDocument[] = [];
  for (const doc of docs) {
    const r = toResource(doc);
    const ns = r.ref.namespace;
    if (ns !== undefined && ((only && !only.has(ns)) || exclude.has(ns))) continue;
    let rec: Resource = r;
    if (r.ref.kind === 'Service' && r.ref.apiVersion === 'v1') {
      const built = buildService(doc, clusterFamilies.families, clusterFamilies.candidates);
      const svc = opts.live || r.stored ? withStoredFamilies(built, doc) : built;
      services.push(svc);
      rec = svc;
    }
    resources.push(rec);
    kept.push(doc);
    const list = byKind.get(r.ref.kind);
    if (list) list.push(rec);
    else byKind.set(r.ref.kind, [rec]);
  }
  const coexistence = buildCoexistence(kept);
  const { workloads, configMaps, podOwners } = buildWorkloads(kept, services, coexistence);
  const usedConfigMaps = configMapUses(workloads);
  const policies = buildPolicyModel(kept, workloads);
  const frontends = buildFrontendModel(kept, services, coexistence);
  // GKE for every object: given, or shown by the cluster itself (not by GKE objects in some file).
  const clusterGke = opts.platform ? undefined : clusterGkeEvidence(kept, gcp, opts.locate);
  const gke = buildGkeModel(kept, opts.platform ? opts.platform.name === 'gke' : clusterGke!.length > 0, coexistence);
  const platform = inferPlatform(kept, gcp, gke.gkeFiles, opts.platform, opts.locate, clusterGke);
  const observability = withAddressIssues(buildObservabilityModel(kept));
  const corefiles = buildCorefiles(kept);
  const dnsNames = collectDnsNames(kept);
  // Headless Services: records per endpoint (SEMANTICS.md d.1, d.2), when the endpoints are in the input.
  const headlessDns = headlessRecords(services, kept);
  for (const svc of services) {
    const h = headlessDns.get(`${svc.ref.namespace ?? 'default'}/${svc.ref.name}`);
    if (h) (svc as { dns: Service['dns'] }).dns = { A: h.A, AAAA: h.AAAA };
  }
  // A live read (or snapshot) is stored state whatever marks its objects carry.
  const stored = (opts.live ? resources : resources.filter((r) => r.stored)).map((r) => r.ref);
  const dualStackServices = services.filter((s) => (s.effectiveWhenDual?.ipFamilies.length ?? 0) === 2 && s.type !== 'ExternalName');
  return freezeDeep({
    clusterFamilies, resources, services, dualStackServices, byKind, workloads, configMaps, usedConfigMaps, gke, observability, policies, frontends, corefiles, dnsNames, headlessDns, clusterConfig,
    gcp, platform, stored, dataPlanes: buildDataPlaneModel(kept, workloads), integrations: buildIntegrations(kept), coexistence,
    ...(opts.resolved ? { resolved: new Map(opts.resolved) } : {}),
    ...(opts.live ? { live: buildLive(kept, opts.live, podOwners) } : stored.length > 0 ? { live: buildLive(kept.filter((d) => isStoredObject(d.object)), {}, podOwners) } : {}),
  });
}
