// InputDocuments -> a frozen Model. Pure: no I/O, no clock.

import type { ClusterFamilies, Family, InputDocument, ResourceRef } from './types.ts';
import { isObject, isStoredObject, toResource, type Resource } from './resources.ts';
import { buildService, type Service } from './services.ts';
import { buildLive, withStoredFamilies, type LiveFacts } from './live.ts';
import { inferClusterFamilies, type FamiliesInference } from './families.ts';
import { buildWorkloads, isPodTemplateKind, workloadFacts, type ConfigMap, type Workload, type WorkloadFacts } from './workloads.ts';
import { buildPolicyModel, parsePolicy, policyTables, type FqdnPolicy, type PolicyDraft, type PolicyModel } from './policies.ts';
import { buildFrontendModel, nginxConfigMapArgs, NGINX_WORKLOAD_KINDS, type FrontendModel } from './frontends.ts';
import { buildGkeModel, hasGkeMark, type GkeModel } from './gke.ts';
import { buildObservabilityModel, type ObservabilityModel } from './observability.ts';
import { buildCorefiles, dnsNamesOf, headlessRecords, type CorefileSource, type DnsNameRef, type HeadlessRecords, type ResolvedName } from './dns.ts';
import { createFreezer } from './freeze.ts';
import { withAddressIssues } from './prometheus.ts';
import { configMapUses, type ConfigMapUse } from './config-map-users.ts';
import { buildClusterConfig, mayHoldClusterConfig, type ClusterConfig, type Locate } from './cluster-config.ts';
import { buildGcpModel, gcpClusterFamilies, gcpKindOf, type GcpModel } from './gcp.ts';
import { clusterGkeEvidence, inferPlatform, type Platform, type PlatformName } from './platform.ts';
import { coexistenceIntake, type Coexistence } from './coexist.ts';
import { buildDataPlaneModel, type DataPlaneModel } from './data-planes.ts';
import { buildIntegrations, type IntegrationsModel } from './integrations.ts';

export interface Model {
  readonly clusterFamilies: ClusterFamilies;
  /**
   * Cluster families undetermined (clusterFamilies.from): the evidence that disagrees, and where the
   * answer hinges (model/families.ts). service-ip-config-rejected reports the rejections that depend
   * on them there, once, instead of on every Service.
   */
  readonly familiesConflict?: NonNullable<FamiliesInference['conflict']>;
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
  const intake = modelIntake(opts);
  for (const doc of docs) intake.add(doc);
  return intake.finish(opts);
}

/** Which documents the intake reads: the namespace filters of BuildOptions. */
export type IntakeOptions = Pick<BuildOptions, 'namespaces' | 'excludeNamespaces'> & {
  /**
   * Keep every document and build as the array-based build did (each builder over all the
   * documents): the reference the streaming build is tested against (test/model/intake.test.ts).
   */
  readonly keepDocuments?: boolean;
};

/**
 * The streaming model build (issue 21): documents are handed over one at a time as the loader
 * reads them, and each is let go once its facts are taken, unless a builder that links across
 * documents still needs it. finish() links the facts into the frozen Model.
 */
export interface ModelIntake {
  add(doc: InputDocument): void;
  /** Documents handed over. */
  readonly count: number;
  /** The distinct DNS names of the documents so far, in first-seen order, of the namespaces read: what --resolve looks up. */
  namesToResolve(): string[];
  /** Links what was taken; the intake cannot be used afterwards. */
  finish(opts?: BuildOptions): Model;
}

/**
 * Kinds no model builder reads beyond what every document gives at intake (its Resource, DNS
 * names, GKE marks and identity): access control, storage, scheduling and API machinery objects
 * carry no address, family or network setting. Their documents are dropped as they are read.
 */
const UNREAD_KINDS: ReadonlySet<string> = new Set([
  'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ServiceAccount', 'CustomResourceDefinition',
  'PersistentVolume', 'PersistentVolumeClaim', 'StorageClass', 'VolumeSnapshotClass', 'CSIDriver', 'PodDisruptionBudget',
  'HorizontalPodAutoscaler', 'VerticalPodAutoscaler', 'PriorityClass', 'LimitRange', 'ResourceQuota', 'Lease',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'APIService', 'RuntimeClass', 'PodSecurityPolicy',
]);

/** What a document of a pod template keeps once its facts are taken: kind and metadata (the owner walk of buildWorkloads). */
function skeleton(doc: InputDocument): InputDocument {
  const m = doc.object.metadata;
  // Annotations (kubectl's last-applied-configuration is a copy of the whole object) and managedFields are not read there.
  const { annotations: _a, managedFields: _f, ...metadata } = isObject(m) ? m : {};
  const object = { apiVersion: doc.object.apiVersion, kind: doc.object.kind, metadata };
  // Two literals, not a conditional spread first: such an object gets a hidden class of its own (resources.ts).
  return doc.source ? { source: doc.source, object } : { object };
}

export function modelIntake(filter: IntakeOptions = {}): ModelIntake {
  const only = filter.namespaces && filter.namespaces.length > 0 ? new Set(filter.namespaces) : undefined;
  const exclude = new Set(filter.excludeNamespaces ?? []);
  const keepAll = filter.keepDocuments === true;
  let count = 0;
  let finished = false;
  /** Every document a builder reads whole, in input order, whatever its namespace (cluster families and GCP read all). */
  let all: InputDocument[] = [];
  /** Of `all`, those in the namespaces read. */
  let kept: InputDocument[] = [];
  /** In input order: each object's Resource, or its document when it is a Service (built at finish, with the cluster families). */
  let entries: (Resource | InputDocument)[] = [];
  /** ConfigMaps and pod templates (whole, or as a skeleton with their facts) for buildWorkloads. */
  let workloadDocs: InputDocument[] = [];
  let facts = new Map<InputDocument, WorkloadFacts>();
  let coexistence = coexistenceIntake();
  let dnsNames: DnsNameRef[] = [];
  const nginxReferences = new Set<string>();
  const gkeFiles = new Set<string>();
  let policies: (PolicyDraft | FqdnPolicy)[] = [];
  const policyFacts = policyTables();
  // Facts are frozen as they are taken, with the tables the model's freeze uses at the end: equal
  // paths, labels and annotations are one copy while the input is read (model/freeze.ts).
  const freeze = createFreezer();
  return {
    get count() { return count; },
    namesToResolve: () => [...new Set(dnsNames.map((r) => r.name))],
    add(doc) {
      if (finished) throw new Error('modelIntake: add() after finish()');
      count++;
      const o = doc.object;
      const r = freeze(toResource(doc));
      const ns = r.ref.namespace;
      const inNs = ns === undefined || ((!only || only.has(ns)) && !exclude.has(ns));
      if (!inNs) {
        // The cluster families and the GCP layer are read from every document (model/families.ts, gcp.ts).
        if (keepAll || o.kind === 'Service' || o.kind === 'Node' || o.kind === 'Pod' || mayHoldClusterConfig(o) || gcpKindOf(o)) all.push(doc);
        return;
      }
      const isService = r.ref.kind === 'Service' && r.ref.apiVersion === 'v1';
      entries.push(isService ? doc : r);
      coexistence.add(doc, r);
      const names = dnsNames.length;
      dnsNamesOf(doc, dnsNames);
      for (let i = names; i < dnsNames.length; i++) dnsNames[i] = freeze(dnsNames[i]!);
      if (doc.source && !gkeFiles.has(doc.source.file) && hasGkeMark(o)) gkeFiles.add(doc.source.file);
      if (typeof o.kind === 'string' && NGINX_WORKLOAD_KINDS.has(o.kind)) nginxConfigMapArgs(doc, nginxReferences);
      if (keepAll) {
        all.push(doc);
        kept.push(doc);
        if (o.kind === 'ConfigMap' || isPodTemplateKind(o.apiVersion, o.kind)) workloadDocs.push(doc);
        return;
      }
      if (isPodTemplateKind(o.apiVersion, o.kind) && o.kind !== 'Pod' && !mayHoldClusterConfig(o)) {
        // Its facts now, its document let go: only kind and metadata stay for the owner walk.
        const s = skeleton(doc);
        const f = workloadFacts(doc);
        if (f) facts.set(s, freeze(f));
        workloadDocs.push(s);
        return;
      }
      if (typeof o.kind === 'string' && UNREAD_KINDS.has(o.kind)) return;
      // A policy: parsed now (its selection is linked at finish), its document let go.
      const policy = parsePolicy(doc, policyFacts, r);
      if (policy) {
        policies.push(freeze(policy));
        return;
      }
      all.push(doc);
      kept.push(doc);
      if (o.kind === 'ConfigMap' || isPodTemplateKind(o.apiVersion, o.kind)) workloadDocs.push(doc);
    },
    finish(opts = {}) {
      if (finished) throw new Error('modelIntake: finish() called twice');
      finished = true;
      const taken: Taken = { all, kept, entries, workloadDocs, facts, coexistence: coexistence.finish(), dnsNames, nginxReferences, gkeFiles, policies };
      // The caller still holds the intake while the rules run and the report is written: what it
      // took (the documents kept whole among them) goes with the link, not with the intake.
      all = kept = entries = workloadDocs = dnsNames = policies = [];
      facts = new Map();
      coexistence = coexistenceIntake();
      return link(taken, opts, freeze);
    },
  };
}

interface Taken {
  readonly all: readonly InputDocument[];
  readonly kept: readonly InputDocument[];
  readonly entries: readonly (Resource | InputDocument)[];
  readonly workloadDocs: readonly InputDocument[];
  readonly facts: ReadonlyMap<InputDocument, WorkloadFacts>;
  readonly coexistence: Coexistence;
  readonly dnsNames: readonly DnsNameRef[];
  readonly nginxReferences: ReadonlySet<string>;
  readonly gkeFiles: ReadonlySet<string>;
  readonly policies: readonly (PolicyDraft | FqdnPolicy)[];
}

/** The cross-document links over what the intake took, and the frozen Model. */
function link(t: Taken, opts: BuildOptions, freezeDeep: <T>(root: T) => T): Model {
  const { all, kept } = t;
  // Cluster configuration first: Services depend on the cluster families it may reveal.
  const configDocs: { doc: InputDocument; resource: Resource }[] = [];
  for (const doc of kept) if (mayHoldClusterConfig(doc.object)) configDocs.push({ doc, resource: toResource(doc) });
  const clusterConfig = buildClusterConfig(configDocs, opts.locate);
  // One inference weighs every piece of evidence (model/families.ts); the flag or config file wins.
  // Stored objects in a file input (`kubectl get -o yaml`) are read as a snapshot is (issue 14 item 4):
  // their Services' clusterIPs are allocations.
  const storedDocs = opts.live ? all : all.filter((d) => isStoredObject(d.object));
  const gcp = buildGcpModel(all);
  const fromGcp = gcpClusterFamilies(gcp, opts.locate);
  let clusterFamilies: ClusterFamilies;
  let familiesConflict: FamiliesInference['conflict'];
  if (opts.clusterFamilies) {
    clusterFamilies = { families: opts.clusterFamilies.families, from: opts.clusterFamilies.from };
  } else {
    const inf = inferClusterFamilies({ docs: all, clusterConfig, ...(fromGcp ? { gke: fromGcp } : {}), storedDocs, ...(opts.locate ? { locate: opts.locate } : {}) });
    clusterFamilies = {
      families: inf.families, from: inf.from,
      ...(inf.evidence.length > 0 ? { evidence: inf.evidence } : {}), ...(inf.candidates ? { candidates: inf.candidates } : {}),
    };
    familiesConflict = inf.conflict;
  }

  const resources: Resource[] = [];
  const services: Service[] = [];
  const byKind = new Map<string, Resource[]>();
  for (const e of t.entries) {
    let rec: Resource;
    if ('object' in e) {
      const r = toResource(e);
      const built = buildService(e, clusterFamilies.families, clusterFamilies.candidates);
      const svc = opts.live || r.stored ? withStoredFamilies(built, e) : built;
      services.push(svc);
      rec = svc;
    } else {
      rec = e;
    }
    resources.push(rec);
    const list = byKind.get(rec.ref.kind);
    if (list) list.push(rec);
    else byKind.set(rec.ref.kind, [rec]);
  }
  const coexistence = t.coexistence;
  const { workloads, configMaps, podOwners } = buildWorkloads(t.workloadDocs, services, coexistence, t.facts);
  const usedConfigMaps = configMapUses(workloads);
  const policies = buildPolicyModel(kept, workloads, coexistence, t.policies);
  const frontends = buildFrontendModel(kept, services, coexistence, t.nginxReferences);
  // GKE for every object: given, or shown by the cluster itself (not by GKE objects in some file).
  const clusterGke = opts.platform ? undefined : clusterGkeEvidence(kept, gcp, opts.locate);
  const gke = buildGkeModel(kept, opts.platform ? opts.platform.name === 'gke' : clusterGke!.length > 0, coexistence, t.gkeFiles);
  const platform = inferPlatform(kept, gcp, gke.gkeFiles, opts.platform, opts.locate, clusterGke);
  const observability = withAddressIssues(buildObservabilityModel(kept));
  const corefiles = buildCorefiles(kept);
  const dnsNames = t.dnsNames;
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
    clusterFamilies, ...(familiesConflict ? { familiesConflict } : {}), resources, services, dualStackServices, byKind, workloads, configMaps, usedConfigMaps, gke, observability, policies, frontends, corefiles, dnsNames, headlessDns, clusterConfig,
    gcp, platform, stored, dataPlanes: buildDataPlaneModel(kept, workloads), integrations: buildIntegrations(kept), coexistence,
    ...(opts.resolved ? { resolved: new Map(opts.resolved) } : {}),
    ...(opts.live ? { live: buildLive(kept, opts.live, podOwners) } : stored.length > 0 ? { live: buildLive(kept.filter((d) => isStoredObject(d.object)), {}, podOwners) } : {}),
  });
}
