// The GCP network layer a GKE cluster starts from: the cluster, its node pools, the VPC network,
// its subnets and reserved addresses, read from three forms into one shape. Pure.
//   - Config Connector objects in the manifests (container/compute.cnrm.cloud.google.com/v1beta1);
//   - `gcloud ... describe --format yaml|json` exports, which load/gcp.ts turns into synthetic
//     objects (apiVersion GCLOUD_API_VERSION) whose fields are the export's own;
//   - `terraform show -json` of a plan or a state: each google_* resource becomes a synthetic
//     object (apiVersion TERRAFORM_API_VERSION) whose fields are the resource's `values`.
// So a JSON path such as ['ip_allocation_policy', 0, 'stack_type'] points into the file.
// Field names: Compute REST reference (https://cloud.google.com/compute/docs/reference/rest/v1/subnetworks,
// .../networks, .../addresses), GKE REST reference
// (https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters),
// the google provider docs (https://registry.terraform.io/providers/hashicorp/google/latest/docs)
// and the Config Connector CRDs (GoogleCloudPlatform/k8s-config-connector config/crds/resources).

import type { InputDocument, JsonPath } from './types.ts';
import { isObject, toResource, type Resource } from './resources.ts';

export const GCLOUD_API_VERSION = 'gcloud.dualstack-audit.local/v1';
export const TERRAFORM_API_VERSION = 'terraform.dualstack-audit.local/v1';
/** Key of the synthetic objects that holds what load/gcp.ts knows besides the fields (no GCP resource has it). */
export const GCP_SOURCE_KEY = 'x-dualstack-audit-source';

export type GcpForm = 'kcc' | 'gcloud' | 'terraform';
export type GcpKind = 'ContainerCluster' | 'ContainerNodePool' | 'ComputeNetwork' | 'ComputeSubnetwork' | 'ComputeAddress';
export const GCP_KINDS: readonly GcpKind[] = ['ContainerCluster', 'ContainerNodePool', 'ComputeNetwork', 'ComputeSubnetwork', 'ComputeAddress'];

/** What load/gcp.ts records in GCP_SOURCE_KEY. */
export interface GcpSourceInfo {
  /** Terraform resource type (google_compute_global_address, ...), or the gcloud `kind`. */
  readonly type?: string;
  /** Terraform: top-level attributes a plan does not know until apply (change.after_unknown). */
  readonly unknown?: readonly string[];
}

/** Terraform resource types read, and the Config Connector kind each corresponds to. */
export const TERRAFORM_TYPES: Readonly<Record<string, GcpKind>> = {
  google_container_cluster: 'ContainerCluster',
  google_container_node_pool: 'ContainerNodePool',
  google_compute_network: 'ComputeNetwork',
  google_compute_subnetwork: 'ComputeSubnetwork',
  google_compute_address: 'ComputeAddress',
  google_compute_global_address: 'ComputeAddress',
};

/** The `kind` of gcloud compute describe output (Compute REST resources). */
export const GCLOUD_COMPUTE_KINDS: Readonly<Record<string, GcpKind>> = {
  'compute#network': 'ComputeNetwork',
  'compute#subnetwork': 'ComputeSubnetwork',
  'compute#address': 'ComputeAddress',
};

/** A field as read: its value (undefined when absent) and where it is, or would be. */
export interface GcpField<T> {
  readonly value?: T;
  readonly path: JsonPath;
  /** A Terraform plan does not know it yet: judge nothing on it. */
  readonly unknown?: boolean;
}

export interface GcpObject extends Resource {
  readonly form: GcpForm;
  readonly gcpKind: GcpKind;
  /** The name in GCP (KCC resourceID or metadata.name, the export's name, Terraform values.name). */
  readonly gcpName: string;
  /** How findings name the object: "ComputeSubnetwork nodes (gcloud)". */
  readonly label: string;
}

export type ClusterStackType = 'IPV4' | 'IPV4_IPV6' | string;

export interface GcpCluster extends GcpObject {
  readonly gcpKind: 'ContainerCluster';
  readonly location?: string;
  /** ipAllocationPolicy.stackType; absent means IPV4. */
  readonly stackType: GcpField<ClusterStackType>;
  /** LEGACY_DATAPATH, ADVANCED_DATAPATH, ...; absent means legacy (Autopilot: always V2). */
  readonly datapath: GcpField<string>;
  readonly autopilot: boolean;
  /** Dataplane V2: ADVANCED_DATAPATH, or Autopilot. */
  readonly dpv2: boolean;
  /** VPC-native (alias IPs); false for routes-based; undefined when the input does not say. */
  readonly vpcNative: GcpField<boolean>;
  readonly network?: string;
  readonly subnetwork: GcpField<string>;
  /** gcloud only: the access type GKE uses when it creates the subnet itself. */
  readonly ipv6AccessType?: string;
  readonly fqdnNetworkPolicy: GcpField<boolean>;
  /** Advanced datapath observability: metrics, and the relay (managed Hubble). */
  readonly observabilityMetrics: GcpField<boolean>;
  readonly observabilityRelay: GcpField<boolean>;
  /** GKE subsetting for L4 internal LBs (ingress-gce builds them, IPv6 included). */
  readonly l4IlbSubsetting: GcpField<boolean>;
}

export interface GcpNodePool extends GcpObject {
  readonly gcpKind: 'ContainerNodePool';
  readonly cluster?: string;
  readonly subnetwork: GcpField<string>;
}

export interface GcpNetwork extends GcpObject {
  readonly gcpKind: 'ComputeNetwork';
  readonly ulaInternalIpv6: GcpField<boolean>;
  readonly autoCreateSubnetworks: GcpField<boolean>;
}

export interface GcpSubnet extends GcpObject {
  readonly gcpKind: 'ComputeSubnetwork';
  readonly region?: string;
  readonly network?: string;
  /** IPV4_ONLY (also when absent), IPV4_IPV6, IPV6_ONLY. */
  readonly stackType: GcpField<string>;
  /** EXTERNAL (GUA) or INTERNAL (ULA). */
  readonly ipv6AccessType: GcpField<string>;
  readonly purpose?: string;
}

export interface GcpAddress extends GcpObject {
  readonly gcpKind: 'ComputeAddress';
  readonly global: boolean;
  readonly region?: string;
  /** IPV4 (also when absent) or IPV6. */
  readonly ipVersion: GcpField<string>;
  /** EXTERNAL (default) or INTERNAL. */
  readonly addressType: string;
  readonly ipv6EndpointType?: string;
  readonly networkTier?: string;
}

export interface GcpModel {
  readonly clusters: readonly GcpCluster[];
  readonly nodePools: readonly GcpNodePool[];
  readonly networks: readonly GcpNetwork[];
  readonly subnets: readonly GcpSubnet[];
  readonly addresses: readonly GcpAddress[];
}

export const EMPTY_GCP: GcpModel = { clusters: [], nodePools: [], networks: [], subnets: [], addresses: [] };

/** The last segment of a name, relative name or URL ("projects/p/regions/r/subnetworks/s" -> "s"). */
export const shortName = (v: string): string => v.replace(/\/+$/, '').split('/').pop() ?? v;

/** A dual-stack (or IPv6-only) subnet stack type. */
export const subnetHasIPv6 = (s: GcpSubnet): boolean => s.stackType.value === 'IPV4_IPV6' || s.stackType.value === 'IPV6_ONLY';

function formOf(apiVersion: unknown): GcpForm | undefined {
  if (apiVersion === GCLOUD_API_VERSION) return 'gcloud';
  if (apiVersion === TERRAFORM_API_VERSION) return 'terraform';
  if (apiVersion === 'container.cnrm.cloud.google.com/v1beta1' || apiVersion === 'compute.cnrm.cloud.google.com/v1beta1') return 'kcc';
  return undefined;
}

/** The value at `path` (numbers index lists; a Terraform block is a one-element list). */
function at(o: unknown, path: JsonPath): unknown {
  let cur = o;
  for (const k of path) {
    if (typeof k === 'number') cur = Array.isArray(cur) ? cur[k] : undefined;
    else cur = isObject(cur) ? cur[k] : undefined;
    if (cur === undefined || cur === null) return undefined;
  }
  return cur;
}

const asString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const asBool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined);

/** A KCC reference {name} / {external}, or a string (gcloud, Terraform), as a short name. */
function refName(v: unknown): string | undefined {
  if (isObject(v)) {
    const s = asString(v.name) ?? asString(v.external);
    return s ? shortName(s) : undefined;
  }
  const s = asString(v);
  return s ? shortName(s) : undefined;
}

interface Reader {
  readonly o: Readonly<Record<string, unknown>>;
  readonly form: GcpForm;
  readonly unknown: ReadonlySet<string>;
  /** The first path (of those given for this form) whose value is present, else the first. */
  field<T>(paths: readonly JsonPath[], conv: (v: unknown) => T | undefined): GcpField<T>;
}

function reader(o: Readonly<Record<string, unknown>>, form: GcpForm): Reader {
  const info = isObject(o[GCP_SOURCE_KEY]) ? (o[GCP_SOURCE_KEY] as GcpSourceInfo) : {};
  const unknown = new Set(Array.isArray(info.unknown) ? info.unknown : []);
  return {
    o, form, unknown,
    field<T>(paths: readonly JsonPath[], conv: (v: unknown) => T | undefined): GcpField<T> {
      for (const p of paths) {
        const value = conv(at(o, p));
        if (value !== undefined) return { value, path: p };
      }
      const p = paths[0]!;
      return unknown.has(String(p[0])) ? { path: p, unknown: true } : { path: p };
    },
  };
}

/** Paths per form: [kcc, gcloud, terraform]. */
type PerForm = readonly [readonly JsonPath[], readonly JsonPath[], readonly JsonPath[]];
const pick = (r: Reader, p: PerForm): readonly JsonPath[] => (r.form === 'kcc' ? p[0] : r.form === 'gcloud' ? p[1] : p[2]);

const CLUSTER = {
  stackType: [[['spec', 'ipAllocationPolicy', 'stackType']], [['ipAllocationPolicy', 'stackType']], [['ip_allocation_policy', 0, 'stack_type']]],
  datapath: [[['spec', 'datapathProvider']], [['networkConfig', 'datapathProvider']], [['datapath_provider']]],
  autopilot: [[['spec', 'enableAutopilot']], [['autopilot', 'enabled']], [['enable_autopilot']]],
  networkingMode: [[['spec', 'networkingMode']], [], [['networking_mode']]],
  useIpAliases: [[], [['ipAllocationPolicy', 'useIpAliases']], []],
  network: [[['spec', 'networkRef']], [['networkConfig', 'network'], ['network']], [['network']]],
  subnetwork: [[['spec', 'subnetworkRef']], [['networkConfig', 'subnetwork'], ['subnetwork']], [['subnetwork']]],
  location: [[['spec', 'location']], [['location']], [['location']]],
  subsetting: [[['spec', 'enableL4IlbSubsetting']], [['networkConfig', 'enableL4ilbSubsetting']], [['enable_l4_ilb_subsetting']]],
  fqdn: [[['spec', 'enableFqdnNetworkPolicy']], [['networkConfig', 'enableFqdnNetworkPolicy']], [['enable_fqdn_network_policy']]],
  metrics: [[['spec', 'monitoringConfig', 'advancedDatapathObservabilityConfig', 0, 'enableMetrics']],
    [['monitoringConfig', 'advancedDatapathObservabilityConfig', 'enableMetrics']],
    [['monitoring_config', 0, 'advanced_datapath_observability_config', 0, 'enable_metrics']]],
  relay: [[['spec', 'monitoringConfig', 'advancedDatapathObservabilityConfig', 0, 'relayMode']],
    [['monitoringConfig', 'advancedDatapathObservabilityConfig', 'enableRelay'], ['monitoringConfig', 'advancedDatapathObservabilityConfig', 'relayMode']],
    [['monitoring_config', 0, 'advanced_datapath_observability_config', 0, 'enable_relay']]],
} satisfies Record<string, PerForm>;

const SUBNET = {
  stackType: [[['spec', 'stackType']], [['stackType']], [['stack_type']]],
  access: [[['spec', 'ipv6AccessType']], [['ipv6AccessType']], [['ipv6_access_type']]],
  network: [[['spec', 'networkRef']], [['network']], [['network']]],
  region: [[['spec', 'region']], [['region']], [['region']]],
  purpose: [[['spec', 'purpose']], [['purpose']], [['purpose']]],
} satisfies Record<string, PerForm>;

const NETWORK = {
  ula: [[['spec', 'enableUlaInternalIpv6']], [['enableUlaInternalIpv6']], [['enable_ula_internal_ipv6']]],
  auto: [[['spec', 'autoCreateSubnetworks']], [['autoCreateSubnetworks']], [['auto_create_subnetworks']]],
} satisfies Record<string, PerForm>;

const ADDRESS = {
  ipVersion: [[['spec', 'ipVersion']], [['ipVersion']], [['ip_version']]],
  addressType: [[['spec', 'addressType']], [['addressType']], [['address_type']]],
  location: [[['spec', 'location']], [['region']], [['region']]],
  endpoint: [[['spec', 'ipv6EndpointType']], [['ipv6EndpointType']], [['ipv6_endpoint_type']]],
  tier: [[['spec', 'networkTier']], [['networkTier']], [['network_tier']]],
} satisfies Record<string, PerForm>;

const NODE_POOL = {
  cluster: [[['spec', 'clusterRef']], [], [['cluster']]],
  subnetwork: [[['spec', 'networkConfig', 'subnetworkRef']], [['networkConfig', 'subnetwork']], [['network_config', 0, 'subnetwork']]],
} satisfies Record<string, PerForm>;

const FORM_LABEL: Readonly<Record<GcpForm, string>> = { kcc: 'Config Connector', gcloud: 'gcloud', terraform: 'Terraform' };

function base(doc: InputDocument, r: Reader, gcpKind: GcpKind): GcpObject {
  const res = toResource(doc);
  const spec = isObject(r.o.spec) ? r.o.spec : {};
  const gcpName = r.form === 'kcc' ? (asString(spec.resourceID) ?? res.ref.name) : (asString(r.o.name) ?? res.ref.name);
  return { ...res, form: r.form, gcpKind, gcpName, label: `${gcpKind} ${gcpName} (${FORM_LABEL[r.form]})` };
}

function cluster(doc: InputDocument, r: Reader): GcpCluster {
  const stackType = r.field(pick(r, CLUSTER.stackType), asString);
  const datapath = r.field(pick(r, CLUSTER.datapath), asString);
  const autopilot = r.field(pick(r, CLUSTER.autopilot), asBool).value ?? false;
  let vpcNative: GcpField<boolean>;
  if (r.form === 'gcloud') {
    const f = r.field(pick(r, CLUSTER.useIpAliases), asBool);
    vpcNative = f.value === undefined ? { path: f.path } : { value: f.value, path: f.path };
  } else {
    const f = r.field(pick(r, CLUSTER.networkingMode), asString);
    vpcNative = f.value === undefined ? { path: f.path, ...(f.unknown ? { unknown: true } : {}) } : { value: f.value !== 'ROUTES', path: f.path };
  }
  const relayRaw = r.field<boolean | string>(pick(r, CLUSTER.relay), (v) => asBool(v) ?? asString(v));
  const relay: GcpField<boolean> = relayRaw.value === undefined ? { path: relayRaw.path, ...(relayRaw.unknown ? { unknown: true } : {}) }
    : { value: typeof relayRaw.value === 'boolean' ? relayRaw.value : relayRaw.value !== 'DISABLED' && relayRaw.value !== 'RELAY_MODE_UNSPECIFIED', path: relayRaw.path };
  const subnet = r.field(pick(r, CLUSTER.subnetwork), refName);
  const access = r.form === 'gcloud' ? asString(at(r.o, ['ipAllocationPolicy', 'ipv6AccessType'])) : undefined;
  const location = r.field(pick(r, CLUSTER.location), asString).value;
  const network = r.field(pick(r, CLUSTER.network), refName).value;
  return {
    ...base(doc, r, 'ContainerCluster'), gcpKind: 'ContainerCluster',
    ...(location ? { location } : {}),
    stackType, datapath, autopilot,
    dpv2: autopilot || datapath.value === 'ADVANCED_DATAPATH',
    vpcNative,
    ...(network ? { network } : {}),
    subnetwork: subnet,
    ...(access ? { ipv6AccessType: access } : {}),
    fqdnNetworkPolicy: r.field(pick(r, CLUSTER.fqdn), asBool),
    observabilityMetrics: r.field(pick(r, CLUSTER.metrics), asBool),
    observabilityRelay: relay,
    l4IlbSubsetting: r.field(pick(r, CLUSTER.subsetting), asBool),
  };
}

/** A region from a name or URL (".../regions/europe-west1" -> "europe-west1"). */
const regionOf = (v: string | undefined): string | undefined => (v ? shortName(v) : undefined);

function subnet(doc: InputDocument, r: Reader): GcpSubnet {
  const region = regionOf(r.field(pick(r, SUBNET.region), asString).value);
  const network = r.field(pick(r, SUBNET.network), refName).value;
  const purpose = r.field(pick(r, SUBNET.purpose), asString).value;
  return {
    ...base(doc, r, 'ComputeSubnetwork'), gcpKind: 'ComputeSubnetwork',
    ...(region ? { region } : {}), ...(network ? { network } : {}), ...(purpose ? { purpose } : {}),
    stackType: r.field(pick(r, SUBNET.stackType), asString),
    ipv6AccessType: r.field(pick(r, SUBNET.access), asString),
  };
}

function network(doc: InputDocument, r: Reader): GcpNetwork {
  return {
    ...base(doc, r, 'ComputeNetwork'), gcpKind: 'ComputeNetwork',
    ulaInternalIpv6: r.field(pick(r, NETWORK.ula), asBool),
    autoCreateSubnetworks: r.field(pick(r, NETWORK.auto), asBool),
  };
}

function address(doc: InputDocument, r: Reader): GcpAddress {
  const info = isObject(r.o[GCP_SOURCE_KEY]) ? (r.o[GCP_SOURCE_KEY] as GcpSourceInfo) : {};
  const loc = r.field(pick(r, ADDRESS.location), asString).value;
  // KCC: location is a region or the literal "global"; gcloud: global addresses have no region;
  // Terraform: a separate resource type (Compute REST Address.region; provider docs).
  const global = r.form === 'kcc' ? loc === 'global' : r.form === 'gcloud' ? loc === undefined : info.type === 'google_compute_global_address';
  const region = global ? undefined : regionOf(loc);
  const endpoint = r.field(pick(r, ADDRESS.endpoint), asString).value;
  const tier = r.field(pick(r, ADDRESS.tier), asString).value;
  return {
    ...base(doc, r, 'ComputeAddress'), gcpKind: 'ComputeAddress',
    global, ...(region ? { region } : {}),
    ipVersion: r.field(pick(r, ADDRESS.ipVersion), asString),
    addressType: r.field(pick(r, ADDRESS.addressType), asString).value ?? 'EXTERNAL',
    ...(endpoint ? { ipv6EndpointType: endpoint } : {}),
    ...(tier ? { networkTier: tier } : {}),
  };
}

function nodePool(doc: InputDocument, r: Reader): GcpNodePool {
  const c = r.field(pick(r, NODE_POOL.cluster), refName).value;
  return {
    ...base(doc, r, 'ContainerNodePool'), gcpKind: 'ContainerNodePool',
    ...(c ? { cluster: c } : {}),
    subnetwork: r.field(pick(r, NODE_POOL.subnetwork), refName),
  };
}

/** The GCP object a document is, if any. */
export function gcpKindOf(o: Readonly<Record<string, unknown>>): { form: GcpForm; kind: GcpKind } | undefined {
  const form = formOf(o.apiVersion);
  if (!form) return undefined;
  const kind = GCP_KINDS.find((k) => k === o.kind);
  return kind ? { form, kind } : undefined;
}

export function buildGcpModel(docs: readonly InputDocument[]): GcpModel {
  const clusters: GcpCluster[] = [];
  const nodePools: GcpNodePool[] = [];
  const networks: GcpNetwork[] = [];
  const subnets: GcpSubnet[] = [];
  const addresses: GcpAddress[] = [];
  for (const doc of docs) {
    const k = gcpKindOf(doc.object);
    if (!k) continue;
    const r = reader(doc.object, k.form);
    switch (k.kind) {
      case 'ContainerCluster': clusters.push(cluster(doc, r)); break;
      case 'ContainerNodePool': nodePools.push(nodePool(doc, r)); break;
      case 'ComputeNetwork': networks.push(network(doc, r)); break;
      case 'ComputeSubnetwork': subnets.push(subnet(doc, r)); break;
      case 'ComputeAddress': addresses.push(address(doc, r)); break;
    }
  }
  return { clusters, nodePools, networks, subnets, addresses };
}

/** The cluster's subnet, when the input has it (by name; by region too when both say). */
export function subnetOf(model: GcpModel, c: GcpCluster): GcpSubnet | undefined {
  return findSubnet(model, c.subnetwork.value, c.location);
}

/** A subnet by name; a cluster location (region or zone) narrows it when both say. */
export function findSubnet(model: GcpModel, name: string | undefined, location?: string): GcpSubnet | undefined {
  if (!name) return undefined;
  const named = model.subnets.filter((s) => s.gcpName === name);
  if (named.length <= 1 || !location) return named[0];
  return named.find((s) => s.region !== undefined && (location === s.region || location.startsWith(`${s.region}-`))) ?? named[0];
}

export function networkNamed(model: GcpModel, name: string | undefined): GcpNetwork | undefined {
  return name ? model.networks.find((n) => n.gcpName === name) : undefined;
}

/** The single cluster of the input (the one the Kubernetes objects run on), if exactly one. */
export const theCluster = (model: GcpModel): GcpCluster | undefined => (model.clusters.length === 1 ? model.clusters[0] : undefined);

/** The region of a cluster location (a zone "europe-west1-b" -> "europe-west1"). */
export const clusterRegion = (c: GcpCluster): string | undefined =>
  c.location === undefined ? undefined : /-[a-z]$/.test(c.location) ? c.location.replace(/-[a-z]$/, '') : c.location;

/** Whether the cluster is dual-stack, per its stack type (unknown in a plan: undefined). */
export function clusterDualStack(c: GcpCluster): boolean | undefined {
  if (c.stackType.unknown) return undefined;
  return c.stackType.value === 'IPV4_IPV6';
}

export const isGcpResource = (o: Readonly<Record<string, unknown>>): boolean => gcpKindOf(o) !== undefined;

/** For messages: "subnet nodes (IPV4_ONLY)". */
export const stackText = (s: GcpSubnet): string => s.stackType.value ?? 'IPV4_ONLY (unset)';


/**
 * The Service families the input's GKE cluster gives: IPV4_IPV6 -> IPv4, IPv6; IPV4 or unset ->
 * IPv4 (GKE has no IPv6-primary dual-stack). Only when the input has exactly one cluster whose
 * stack type is known.
 */
export function gcpClusterFamilies(
  model: GcpModel, locate?: (s: NonNullable<GcpCluster['source']>, p: JsonPath) => { file: string; line: number } | undefined,
): { families: readonly ('IPv4' | 'IPv6')[]; evidence: readonly string[] } | undefined {
  const c = theCluster(model);
  if (!c || c.stackType.unknown) return undefined;
  const loc = c.source ? locate?.(c.source, c.stackType.path) : undefined;
  const at = loc ? ` at ${loc.file}:${loc.line}` : '';
  const dual = c.stackType.value === 'IPV4_IPV6';
  return {
    families: dual ? ['IPv4', 'IPv6'] : ['IPv4'],
    evidence: [`${c.label} stack type ${c.stackType.value ?? 'unset (IPV4)'}${at}`],
  };
}
