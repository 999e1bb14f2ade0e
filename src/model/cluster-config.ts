// The cluster's own address plan, read from the configuration objects of SEMANTICS.md (g):
// kubeadm ClusterConfiguration (also inside the kubeadm-config ConfigMap), kind Cluster,
// KubeProxyConfiguration (also inside the kube-proxy ConfigMap), ServiceCIDR, control-plane
// static Pods, Calico (IPPool, Installation, calico-node env, FelixConfiguration), Cilium
// (cilium-config, LB and pod IP pools), flannel (kube-flannel-cfg), MetalLB IPAddressPool and
// Nodes. Pure: embedded YAML/JSON text is parsed by yaml/embedded.ts, never read from disk.
//
// Every CIDR becomes a CidrFact with its role, family and where it was written. Facts that
// come from embedded text point at the ConfigMap data key (or the kind patch) that holds it.
// Statements about the cluster's Service or pod families become FamilyClaims: evidence for the
// one cluster-family inference (model/families.ts, SEMANTICS.md g "Inference order").

import { loadAllEmbedded } from '../yaml/embedded.ts';
import { formatRef, type Family, type InputDocument, type JsonPath, type ResourceRef, type SourceLocation, type SourceRef } from './types.ts';
import { isObject, str, type Resource } from './resources.ts';
import { cidrContains, parseCIDR, parseIP, type ParsedCIDR } from '../emulate/ip.ts';

export type CidrRole = 'pod' | 'service' | 'node' | 'lb';

export type Component =
  | 'ServiceCIDR' | 'kube-apiserver' | 'kube-controller-manager' | 'kubeadm' | 'kind' | 'kube-proxy'
  | 'calico' | 'cilium' | 'flannel' | 'metallb' | 'node' | 'kubernetes-service';

/** Where a fact was written. */
export interface ConfigSite {
  readonly ref: ResourceRef;
  readonly source?: SourceRef;
  readonly annotations: Readonly<Record<string, string>>;
  /** JSON path in the object; for embedded YAML/JSON the data key (or kind patch) holding it. */
  readonly path: JsonPath;
  /** What the object is, for messages: "kind Cluster", "kubeadm-config ConfigMap", ... */
  readonly object: string;
  /** The field, for messages: "networking.podSubnet", "data.ClusterConfiguration networking.podSubnet". */
  readonly field: string;
  /** Identity of the object (two facts of one object describe the same cluster). */
  readonly objectKey: string;
}

export interface CidrFact {
  readonly site: ConfigSite;
  readonly role: CidrRole;
  readonly component: Component;
  /** The value as written (one entry of a comma-separated list; a MetalLB "a-b" range). */
  readonly text: string;
  /** Position in its list (0 is the primary of a dual-stack pair). */
  readonly index: number;
  /** undefined when the text is not a valid CIDR (or range). For ranges: the smallest covering CIDR. */
  readonly cidr?: ParsedCIDR;
  readonly family?: Family;
  /** A documented default that applies because the field is unset (kind, kubeadm). */
  readonly defaulted: boolean;
  /** An apiserver-validated field (KEP-4858 strict validation applies). */
  readonly apiField: boolean;
  /** "start-end" range (MetalLB, Cilium LB pools). */
  readonly isRange?: boolean;
  /** Calico pools: natOutgoing as effective (defaults applied). */
  readonly natOutgoing?: boolean;
  /** Calico pools: disabled. */
  readonly disabled?: boolean;
  /** Cluster pod CIDRs (kubeadm, kind, controller-manager): the per-node mask that applies. */
  readonly nodeMask?: { readonly mask: number; readonly defaulted: boolean; readonly site?: ConfigSite };
  /** kind: the number of nodes the config creates. */
  readonly nodes?: number;
}

/** A statement about the cluster's Service (or pod) families, primary first. */
export interface FamilyClaim {
  readonly site: ConfigSite;
  readonly about: 'service' | 'pod';
  readonly families: readonly Family[];
  /** Only the primary family is known (the default/kubernetes Service). */
  readonly primaryOnly?: boolean;
  /** 1 = ServiceCIDR `kubernetes` / apiserver flag; 2 = kubeadm / kind; 3 = weaker evidence. */
  readonly tier: 1 | 2 | 3;
  /**
   * A recipe that creates a cluster (kind Cluster, a standalone kubeadm ClusterConfiguration) rather than
   * state read from one: several recipes in one input are usually alternatives, not one cluster.
   */
  readonly recipe: boolean;
  readonly component: Component;
  readonly defaulted: boolean;
}

export interface CniSetting {
  readonly site: ConfigSite;
  readonly cni: 'calico' | 'cilium' | 'flannel';
  /** false when this setting turns IPv6 off (or leaves it off). */
  readonly ipv6: boolean;
  /** What was read, e.g. 'FELIX_IPV6SUPPORT="false"'. */
  readonly detail: string;
  /**
   * calico-node with IPv6 on (IP6 set) and no CALICO_IPV6POOL_CIDR: Calico generates a random
   * fdXX:XXXX:XXXX::/48 ULA pool at start-up, with natOutgoing from CALICO_IPV6POOL_NAT_OUTGOING (default false).
   */
  readonly generatedIPv6Pool?: { readonly natOutgoing: boolean };
}

export interface KubeProxySetting {
  readonly site: ConfigSite;
  /** clusterCIDR entries (empty when unset). */
  readonly clusterCIDRs: readonly CidrFact[];
  /** detectLocalMode as written; the default is ClusterCIDR. */
  readonly detectLocalMode?: string;
}

export interface ServiceCIDRObject {
  readonly site: ConfigSite;
  readonly name: string;
  readonly cidrs: readonly CidrFact[];
}

export interface ClusterConfig {
  /** Every CIDR of the address plan, in input order. */
  readonly cidrs: readonly CidrFact[];
  readonly claims: readonly FamilyClaim[];
  readonly cni: readonly CniSetting[];
  readonly kubeProxy: readonly KubeProxySetting[];
  readonly serviceCIDRs: readonly ServiceCIDRObject[];
  /**
   * Set when the strongest Service-family statements are alternative recipes (several kind
   * configs or kubeadm files) that disagree: nothing says which cluster is the target. Evidence text.
   */
  readonly ambiguous?: readonly string[];
  /**
   * For a CIDR, the first CIDR (in input order) of another role that overlaps it, when that one
   * comes earlier: every overlapping pair once, on the later of the two.
   */
  readonly overlaps: ReadonlyMap<CidrFact, CidrFact>;
  /** For a family claim, the claim it is compared with (the same object, or another component's stronger state). */
  readonly references: ReadonlyMap<FamilyClaim, FamilyClaim>;
}

export type Locate = (source: SourceRef, path: JsonPath) => SourceLocation | undefined;

// ---------------------------------------------------------------------------------------------

const KINDS = new Set([
  'ClusterConfiguration', 'Cluster', 'KubeProxyConfiguration', 'ServiceCIDR', 'IPPool', 'Installation',
  'FelixConfiguration', 'DaemonSet', 'ConfigMap', 'IPAddressPool', 'CiliumLoadBalancerIPPool', 'CiliumPodIPPool',
  'Node', 'Pod', 'Service',
]);

const NAMED: Readonly<Record<string, (name: string) => boolean>> = {
  ConfigMap: (n) => n === 'kubeadm-config' || n === 'kube-proxy' || n === 'cilium-config' || n === 'kube-flannel-cfg' || n === 'calico-config',
  DaemonSet: (n) => n === 'calico-node' || n === 'kube-proxy',
  Service: (n) => n === 'kubernetes',
  Pod: (n) => n.startsWith('kube-apiserver') || n.startsWith('kube-controller-manager'),
};

/** Whether a document may carry cluster configuration (cheap pre-filter for the builder, before toResource). */
export function mayHoldClusterConfig(o: Readonly<Record<string, unknown>>): boolean {
  const kind = o.kind;
  if (typeof kind !== 'string' || !KINDS.has(kind)) return false;
  const named = NAMED[kind];
  if (!named) return true;
  const name = isObject(o.metadata) ? o.metadata.name : undefined;
  return typeof name === 'string' && named(name);
}

/** Template variables left in manifests (__LB_RANGE_V4__, ${POD_CIDR}, {{ .Values.x }}, <your-range>). */
const isPlaceholder = (t: string): boolean => /__|\$\{|\{\{|^<.*>$|^\$[A-Z_]+$/.test(t);

const splitList = (v: unknown): string[] =>
  typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];

const boolText = (v: unknown): boolean | undefined => {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
};

/** Parse "a-b" (MetalLB/Cilium ranges) into the smallest CIDR that covers both ends. */
function coverRange(text: string): ParsedCIDR | undefined {
  const dash = text.indexOf('-');
  if (dash < 0) return undefined;
  const a = parseIP(text.slice(0, dash).trim());
  const b = parseIP(text.slice(dash + 1).trim());
  if (!a || !b || a.family !== b.family) return undefined;
  const ab = a.family === 'IPv4' ? a.bytes.slice(-4) : a.bytes;
  const bb = b.family === 'IPv4' ? b.bytes.slice(-4) : b.bytes;
  let prefix = 0;
  for (let i = 0; i < ab.length; i++) {
    const x = ab[i]! ^ bb[i]!;
    if (x === 0) {
      prefix += 8;
      continue;
    }
    prefix += Math.clz32(x) - 24;
    break;
  }
  const c = parseCIDR(`${a.canonical}/${prefix}`);
  return c ? { ...c, address: a, hostBitsSet: false } : undefined;
}

/** extraArgs in kubeadm v1beta3 (map) or v1beta4 (list of {name, value}) form. */
function extraArgs(v: unknown, basePath: JsonPath): Map<string, { value: string; path: JsonPath }> {
  const out = new Map<string, { value: string; path: JsonPath }>();
  if (Array.isArray(v)) {
    v.forEach((e, i) => {
      if (isObject(e) && typeof e.name === 'string' && e.value !== undefined) out.set(e.name, { value: String(e.value), path: [...basePath, i, 'value'] });
    });
  } else if (isObject(v)) {
    for (const [k, val] of Object.entries(v)) if (val !== undefined && val !== null) out.set(k, { value: String(val), path: [...basePath, k] });
  }
  return out;
}

/** --flag=value / --flag value arguments of a container command+args. */
function commandFlags(container: Record<string, unknown>, basePath: JsonPath): Map<string, { value: string; path: JsonPath }> {
  const out = new Map<string, { value: string; path: JsonPath }>();
  for (const key of ['command', 'args'] as const) {
    const list = container[key];
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      if (typeof item !== 'string' || !item.startsWith('--')) return;
      const eq = item.indexOf('=');
      if (eq > 0) out.set(item.slice(2, eq), { value: item.slice(eq + 1), path: [...basePath, key, i] });
      else if (typeof list[i + 1] === 'string' && !(list[i + 1] as string).startsWith('--')) {
        out.set(item.slice(2), { value: list[i + 1] as string, path: [...basePath, key, i + 1] });
      }
    });
  }
  return out;
}

function parseEmbedded(text: unknown): unknown[] {
  if (typeof text !== 'string' || text.length > 1_000_000) return [];
  return loadAllEmbedded(text).filter(isObject);
}

class Collector {
  readonly cidrs: CidrFact[] = [];
  readonly claims: FamilyClaim[] = [];
  readonly cni: CniSetting[] = [];
  readonly kubeProxy: KubeProxySetting[] = [];
  readonly serviceCIDRs: ServiceCIDRObject[] = [];

  site(r: Resource, path: JsonPath, object: string, field: string): ConfigSite {
    const s = r.source;
    return {
      ref: r.ref, ...(s ? { source: s } : {}), annotations: r.annotations, path, object, field,
      objectKey: s ? `${s.file}#${s.doc}#${s.item ?? ''}` : formatRef(r.ref),
    };
  }

  /** Add the CIDRs of one comma-separated value; returns the facts. */
  addList(site: ConfigSite, role: CidrRole, component: Component, values: readonly string[], extra: Partial<CidrFact> = {}): CidrFact[] {
    const out: CidrFact[] = [];
    values.forEach((text, index) => {
      if (isPlaceholder(text)) return; // a template variable, not a value
      const isRange = !text.includes('/') && text.includes('-');
      const cidr = isRange ? coverRange(text) : parseCIDR(text);
      const fact: CidrFact = {
        site, role, component, text, index, defaulted: false, apiField: false, ...extra,
        ...(cidr ? { cidr, family: cidr.family } : {}), ...(isRange ? { isRange } : {}),
      };
      out.push(fact);
      this.cidrs.push(fact);
    });
    return out;
  }

  claim(site: ConfigSite, about: 'service' | 'pod', facts: readonly CidrFact[], tier: 1 | 2 | 3, component: Component, defaulted = false): void {
    const families = facts.map((f) => f.family).filter((f): f is Family => f !== undefined);
    if (families.length === 0 || families.length !== facts.length) return; // invalid values are findings, not evidence
    const recipe = component === 'kind' || site.object === 'kind Cluster' || site.object === 'kubeadm ClusterConfiguration';
    this.claims.push({ site, about, families, tier, component, defaulted, recipe });
  }
}

const KIND_DEFAULTS = {
  ipv4: { pod: ['10.244.0.0/16'], service: ['10.96.0.0/16'] },
  ipv6: { pod: ['fd00:10:244::/56'], service: ['fd00:10:96::/112'] },
  dual: { pod: ['10.244.0.0/16', 'fd00:10:244::/56'], service: ['10.96.0.0/16', 'fd00:10:96::/112'] },
} as const;

/** Node CIDR mask settings of controller-manager flags. */
interface MaskSetting { readonly mask: number; readonly path: JsonPath; readonly name: string }
function nodeMasks(args: Map<string, { value: string; path: JsonPath }>, pathOverride?: JsonPath): { v4?: MaskSetting; v6?: MaskSetting } {
  const read = (k: string): MaskSetting | undefined => {
    const a = args.get(k);
    const n = a ? Number(a.value) : NaN;
    return a && Number.isInteger(n) ? { mask: n, path: pathOverride ?? a.path, name: k } : undefined;
  };
  const single = read('node-cidr-mask-size');
  const v4 = read('node-cidr-mask-size-ipv4') ?? single;
  const v6 = read('node-cidr-mask-size-ipv6') ?? single;
  return { ...(v4 ? { v4 } : {}), ...(v6 ? { v6 } : {}) };
}

function withNodeMask(c: Collector, r: Resource, object: string, fieldPrefix: string, masks: ReturnType<typeof nodeMasks>, facts: CidrFact[], nodes?: number): void {
  // The controller-manager defaults (kubeadm, kind, plain kube-controller-manager): /24 and /64.
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i]!;
    if (!f.family) continue;
    const m = f.family === 'IPv4' ? masks.v4 : masks.v6;
    const nodeMask = m
      ? { mask: m.mask, defaulted: false, site: c.site(r, m.path, object, `${fieldPrefix}${m.name}`) }
      : { mask: f.family === 'IPv4' ? 24 : 64, defaulted: true };
    const updated: CidrFact = { ...f, nodeMask, ...(nodes !== undefined ? { nodes } : {}) };
    facts[i] = updated;
    c.cidrs[c.cidrs.lastIndexOf(f)] = updated; // just added: found from the end
  }
}

function readKubeadm(c: Collector, r: Resource, o: Record<string, unknown>, opts: {
  embeddedPath?: JsonPath; object: string; fieldPrefix: string; standalone: boolean;
}): void {
  const at = (p: JsonPath): JsonPath => opts.embeddedPath ?? p;
  const net = isObject(o.networking) ? o.networking : {};
  const api = isObject(o.apiServer) ? o.apiServer : {};
  const cm = isObject(o.controllerManager) ? o.controllerManager : {};
  const apiArgs = extraArgs(api.extraArgs, ['apiServer', 'extraArgs']);
  const cmArgs = extraArgs(cm.extraArgs, ['controllerManager', 'extraArgs']);
  const masks = nodeMasks(cmArgs, opts.embeddedPath);
  const f = (p: string) => `${opts.fieldPrefix}${p}`;

  if (opts.standalone) {
    const svcText = str(net.serviceSubnet);
    const svcSite = c.site(r, at(['networking', 'serviceSubnet']), opts.object,
      svcText !== undefined ? f('networking.serviceSubnet') : f('networking.serviceSubnet (unset, kubeadm defaults to 10.96.0.0/12)'));
    const svc = c.addList(svcSite, 'service', 'kubeadm', svcText !== undefined ? splitList(svcText) : ['10.96.0.0/12'],
      { defaulted: svcText === undefined });
    c.claim(svcSite, 'service', svc, 2, 'kubeadm', svcText === undefined);
    const podText = str(net.podSubnet);
    if (podText !== undefined) {
      const podSite = c.site(r, at(['networking', 'podSubnet']), opts.object, f('networking.podSubnet'));
      const pods = c.addList(podSite, 'pod', 'kubeadm', splitList(podText));
      withNodeMask(c, r, opts.object, `${opts.fieldPrefix}controllerManager.extraArgs `, masks, pods);
      c.claim(podSite, 'pod', pods, 2, 'kubeadm');
    }
  }
  const scir = apiArgs.get('service-cluster-ip-range');
  if (scir) {
    const s = c.site(r, at(scir.path), opts.object, f(`apiServer.extraArgs service-cluster-ip-range`));
    c.claim(s, 'service', c.addList(s, 'service', 'kube-apiserver', splitList(scir.value)), 1, 'kube-apiserver');
  }
  const ccidr = cmArgs.get('cluster-cidr');
  if (ccidr) {
    const s = c.site(r, at(ccidr.path), opts.object, f('controllerManager.extraArgs cluster-cidr'));
    const pods = c.addList(s, 'pod', 'kube-controller-manager', splitList(ccidr.value));
    withNodeMask(c, r, opts.object, `${opts.fieldPrefix}controllerManager.extraArgs `, masks, pods);
    c.claim(s, 'pod', pods, 2, 'kube-controller-manager');
  }
}

function readKind(c: Collector, r: Resource, o: Record<string, unknown>): void {
  const net = isObject(o.networking) ? o.networking : {};
  const obj = 'kind Cluster';
  const famText = str(net.ipFamily);
  const fam = famText === 'ipv6' || famText === 'dual' || famText === 'ipv4' ? famText : 'ipv4';
  const nodes = Array.isArray(o.nodes) && o.nodes.length > 0 ? o.nodes.length : 1;
  const unset = famText === undefined ? ' (networking.ipFamily unset: kind defaults to ipv4)' : ` (kind default for ipFamily: ${fam})`;

  // kubeadm patches may change controller-manager or apiserver flags.
  let masks: ReturnType<typeof nodeMasks> = {};
  const patches = Array.isArray(o.kubeadmConfigPatches) ? o.kubeadmConfigPatches : [];
  patches.forEach((p, i) => {
    for (const doc of parseEmbedded(p)) {
      const d = doc as Record<string, unknown>;
      if (d.kind !== 'ClusterConfiguration') continue;
      const cm = isObject(d.controllerManager) ? d.controllerManager : {};
      masks = { ...masks, ...nodeMasks(extraArgs(cm.extraArgs, []), ['kubeadmConfigPatches', i]) };
      readKubeadm(c, r, d, { embeddedPath: ['kubeadmConfigPatches', i], object: obj, fieldPrefix: `kubeadmConfigPatches[${i}] ClusterConfiguration `, standalone: false });
    }
  });

  for (const role of ['service', 'pod'] as const) {
    const key = role === 'service' ? 'serviceSubnet' : 'podSubnet';
    const text = str(net[key]);
    const site = c.site(r, text !== undefined ? ['networking', key] : ['networking', 'ipFamily'], obj,
      text !== undefined ? `networking.${key}` : `networking.${key}${unset}`);
    const facts = c.addList(site, role, 'kind', text !== undefined ? splitList(text) : [...KIND_DEFAULTS[fam][role]],
      { defaulted: text === undefined });
    if (role === 'pod') withNodeMask(c, r, obj, 'kubeadmConfigPatches ClusterConfiguration controllerManager.extraArgs ', masks, facts, nodes);
    c.claim(site, role, facts, 2, 'kind', text === undefined);
  }
}

function readKubeProxy(c: Collector, r: Resource, o: Record<string, unknown>, object: string, embeddedPath?: JsonPath, fieldPrefix = ''): void {
  const text = str(o.clusterCIDR);
  const site = c.site(r, embeddedPath ?? (text !== undefined ? ['clusterCIDR'] : []), object, `${fieldPrefix}clusterCIDR`);
  const facts = text !== undefined ? c.addList(site, 'pod', 'kube-proxy', splitList(text)) : [];
  const mode = str(o.detectLocalMode);
  c.kubeProxy.push({ site, clusterCIDRs: facts, ...(mode !== undefined ? { detectLocalMode: mode } : {}) });
}

function readKubeProxyDaemonSet(c: Collector, r: Resource, o: Record<string, unknown>): void {
  const pod = isObject(o.spec) && isObject(o.spec.template) && isObject(o.spec.template.spec) ? o.spec.template.spec : undefined;
  if (!pod || !Array.isArray(pod.containers)) return;
  pod.containers.forEach((ct, ci) => {
    if (!isObject(ct)) return;
    const flags = commandFlags(ct, ['spec', 'template', 'spec', 'containers', ci]);
    const cc = flags.get('cluster-cidr');
    if (!cc) return; // the usual kube-proxy DaemonSet reads --config (the kube-proxy ConfigMap)
    const site = c.site(r, cc.path, 'kube-proxy DaemonSet', '--cluster-cidr');
    const facts = c.addList(site, 'pod', 'kube-proxy', splitList(cc.value));
    const mode = flags.get('detect-local-mode')?.value;
    c.kubeProxy.push({ site, clusterCIDRs: facts, ...(mode !== undefined ? { detectLocalMode: mode } : {}) });
  });
}

function readCalicoPool(c: Collector, r: Resource, spec: Record<string, unknown>, basePath: JsonPath, object: string, fieldPrefix: string, operator: boolean): void {
  const cidr = str(spec.cidr);
  if (cidr === undefined) return;
  const uses = Array.isArray(spec.allowedUses) ? spec.allowedUses.filter((u): u is string => typeof u === 'string') : [];
  const lbOnly = uses.length > 0 && !uses.includes('Workload');
  const nat = operator
    ? str(spec.natOutgoing) !== 'Disabled' // operator default: Enabled
    : spec.natOutgoing === true; // IPPool default: false
  const disabled = spec.disabled === true || (operator && str(spec.disableNewAllocations) === 'true');
  const site = c.site(r, [...basePath, 'cidr'], object, `${fieldPrefix}cidr`);
  c.addList(site, lbOnly ? 'lb' : 'pod', 'calico', [cidr.trim()], { natOutgoing: nat, disabled, apiField: false });
}

function readCalicoNode(c: Collector, r: Resource, o: Record<string, unknown>): void {
  const pod = isObject(o.spec) && isObject(o.spec.template) && isObject(o.spec.template.spec) ? o.spec.template.spec : undefined;
  if (!pod || !Array.isArray(pod.containers)) return;
  pod.containers.forEach((ct, ci) => {
    if (!isObject(ct) || ct.name !== 'calico-node' || !Array.isArray(ct.env)) return;
    const env = new Map<string, { value: string; path: JsonPath }>();
    ct.env.forEach((e, ei) => {
      if (isObject(e) && typeof e.name === 'string' && e.value !== undefined && e.value !== null) {
        env.set(e.name, { value: String(e.value), path: ['spec', 'template', 'spec', 'containers', ci, 'env', ei, 'value'] });
      }
    });
    const obj = 'calico-node DaemonSet';
    const felix = env.get('FELIX_IPV6SUPPORT');
    if (felix && boolText(felix.value) === false) {
      c.cni.push({ site: c.site(r, felix.path, obj, 'env FELIX_IPV6SUPPORT'), cni: 'calico', ipv6: false, detail: `FELIX_IPV6SUPPORT="${felix.value}"` });
    } else if (felix && boolText(felix.value) === true) {
      c.cni.push({ site: c.site(r, felix.path, obj, 'env FELIX_IPV6SUPPORT'), cni: 'calico', ipv6: true, detail: `FELIX_IPV6SUPPORT="${felix.value}"` });
    }
    const ip6 = env.get('IP6');
    const v6pool = env.get('CALICO_IPV6POOL_CIDR');
    const v6nat = env.get('CALICO_IPV6POOL_NAT_OUTGOING');
    const v4pool = env.get('CALICO_IPV4POOL_CIDR');
    if (v4pool) {
      const v4nat = env.get('CALICO_IPV4POOL_NAT_OUTGOING');
      c.addList(c.site(r, v4pool.path, obj, 'env CALICO_IPV4POOL_CIDR'), 'pod', 'calico', [v4pool.value.trim()],
        { natOutgoing: v4nat ? boolText(v4nat.value) !== false : true });
    }
    if (v6pool) {
      c.addList(c.site(r, v6pool.path, obj, 'env CALICO_IPV6POOL_CIDR'), 'pod', 'calico', [v6pool.value.trim()],
        { natOutgoing: v6nat ? boolText(v6nat.value) === true : false });
    }
    const felixOff = felix !== undefined && boolText(felix.value) === false;
    if (ip6 && ip6.value.trim().toLowerCase() === 'none' && !felixOff) {
      c.cni.push({ site: c.site(r, ip6.path, obj, 'env IP6'), cni: 'calico', ipv6: false, detail: 'IP6="none"' });
    } else if (ip6 && ip6.value.trim() !== '' && !felixOff && !v6pool) {
      c.cni.push({
        site: c.site(r, ip6.path, obj, 'env IP6'), cni: 'calico', ipv6: true, detail: `IP6="${ip6.value}" without CALICO_IPV6POOL_CIDR`,
        generatedIPv6Pool: { natOutgoing: v6nat ? boolText(v6nat.value) === true : false },
      });
    }
  });
}

function readConfigMap(c: Collector, r: Resource, o: Record<string, unknown>): void {
  const data = isObject(o.data) ? o.data : {};
  const name = r.ref.name;
  if (name === 'kubeadm-config') {
    for (const doc of parseEmbedded(data.ClusterConfiguration)) {
      const d = doc as Record<string, unknown>;
      if (d.kind !== undefined && d.kind !== 'ClusterConfiguration') continue;
      readKubeadm(c, r, d, {
        embeddedPath: ['data', 'ClusterConfiguration'], object: 'kubeadm-config ConfigMap',
        fieldPrefix: 'data.ClusterConfiguration ', standalone: true,
      });
    }
  } else if (name === 'kube-proxy') {
    for (const doc of parseEmbedded(data['config.conf'])) {
      const d = doc as Record<string, unknown>;
      if (d.kind !== undefined && d.kind !== 'KubeProxyConfiguration') continue;
      readKubeProxy(c, r, d, 'kube-proxy ConfigMap', ['data', 'config.conf'], 'data."config.conf" ');
    }
  } else if (name === 'cilium-config') {
    const obj = 'cilium-config ConfigMap';
    const v6 = data['enable-ipv6'];
    const site = c.site(r, v6 !== undefined ? ['data', 'enable-ipv6'] : ['data'], obj, 'data.enable-ipv6');
    const on = boolText(v6);
    c.cni.push({ site, cni: 'cilium', ipv6: on === true, detail: v6 === undefined ? 'enable-ipv6 unset (Cilium defaults to false)' : `enable-ipv6: "${String(v6)}"` });
    for (const key of ['cluster-pool-ipv4-cidr', 'cluster-pool-ipv6-cidr']) {
      const v = data[key];
      if (typeof v !== 'string') continue;
      if (key === 'cluster-pool-ipv4-cidr' && boolText(data['enable-ipv4']) === false) continue;
      if (key === 'cluster-pool-ipv6-cidr' && on !== true) continue;
      c.addList(c.site(r, ['data', key], obj, `data.${key}`), 'pod', 'cilium', v.split(/[\s,]+/).filter((s) => s !== ''));
    }
  } else if (name === 'calico-config') {
    // The CNI config template: calico-ipam hands out IPv6 only with "assign_ipv6": "true".
    const text = data.cni_network_config;
    if (typeof text !== 'string' || !/"type"\s*:\s*"calico-ipam"/.test(text)) return;
    const m = /"assign_ipv6"\s*:\s*"?(true|false)"?/.exec(text);
    const on = m?.[1] === 'true';
    c.cni.push({
      site: c.site(r, ['data', 'cni_network_config'], 'calico-config ConfigMap', 'data.cni_network_config ipam'),
      cni: 'calico', ipv6: on,
      detail: m ? `calico-ipam "assign_ipv6": "${m[1]}"` : 'calico-ipam without "assign_ipv6" (IPv4 only by default)',
    });
  } else if (name === 'kube-flannel-cfg') {
    const text = data['net-conf.json'];
    if (typeof text !== 'string') return;
    let conf: unknown;
    try {
      conf = JSON.parse(text);
    } catch {
      return;
    }
    if (!isObject(conf)) return;
    const obj = 'kube-flannel-cfg ConfigMap';
    const path: JsonPath = ['data', 'net-conf.json'];
    const v6 = conf.EnableIPv6 === true;
    c.cni.push({ site: c.site(r, path, obj, 'net-conf.json EnableIPv6'), cni: 'flannel', ipv6: v6, detail: conf.EnableIPv6 === undefined ? 'EnableIPv6 unset (flannel defaults to false)' : `EnableIPv6: ${String(conf.EnableIPv6)}` });
    if (conf.EnableIPv4 !== false && typeof conf.Network === 'string') c.addList(c.site(r, path, obj, 'net-conf.json Network'), 'pod', 'flannel', [conf.Network]);
    if (v6 && typeof conf.IPv6Network === 'string') c.addList(c.site(r, path, obj, 'net-conf.json IPv6Network'), 'pod', 'flannel', [conf.IPv6Network]);
  }
}

function readControlPlanePod(c: Collector, r: Resource, o: Record<string, unknown>): void {
  const spec = isObject(o.spec) ? o.spec : {};
  if (!Array.isArray(spec.containers)) return;
  spec.containers.forEach((ct, ci) => {
    if (!isObject(ct)) return;
    const cmd = Array.isArray(ct.command) ? ct.command : [];
    const bin = `${String(cmd[0] ?? '')} ${String(ct.name ?? '')}`;
    const isApi = bin.includes('kube-apiserver');
    const isCM = bin.includes('kube-controller-manager');
    if (!isApi && !isCM) return;
    const flags = commandFlags(ct, ['spec', 'containers', ci]);
    const obj = `${isApi ? 'kube-apiserver' : 'kube-controller-manager'} Pod`;
    const scir = flags.get('service-cluster-ip-range');
    if (scir) {
      const s = c.site(r, scir.path, obj, '--service-cluster-ip-range');
      c.claim(s, 'service', c.addList(s, 'service', isApi ? 'kube-apiserver' : 'kube-controller-manager', splitList(scir.value)), isApi ? 1 : 2, isApi ? 'kube-apiserver' : 'kube-controller-manager');
    }
    const cc = isCM ? flags.get('cluster-cidr') : undefined;
    if (cc) {
      const s = c.site(r, cc.path, obj, '--cluster-cidr');
      const pods = c.addList(s, 'pod', 'kube-controller-manager', splitList(cc.value));
      withNodeMask(c, r, obj, '--', nodeMasks(flags), pods);
      c.claim(s, 'pod', pods, 2, 'kube-controller-manager');
    }
  });
}

function readDoc(c: Collector, doc: InputDocument, r: Resource): void {
  const o = doc.object as Record<string, unknown>;
  const kind = r.ref.kind;
  const av = r.ref.apiVersion;
  const group = av.includes('/') ? av.slice(0, av.indexOf('/')) : '';
  const spec = isObject(o.spec) ? o.spec : {};
  switch (kind) {
    case 'ClusterConfiguration':
      if (group === 'kubeadm.k8s.io') readKubeadm(c, r, o, { object: 'kubeadm ClusterConfiguration', fieldPrefix: '', standalone: true });
      return;
    case 'Cluster':
      if (group === 'kind.x-k8s.io') readKind(c, r, o);
      return;
    case 'KubeProxyConfiguration':
      if (group === 'kubeproxy.config.k8s.io') readKubeProxy(c, r, o, 'KubeProxyConfiguration');
      return;
    case 'ServiceCIDR': {
      if (group !== 'networking.k8s.io') return;
      const name = r.ref.name;
      const values = Array.isArray(spec.cidrs) ? spec.cidrs.filter((x): x is string => typeof x === 'string') : [];
      const facts: CidrFact[] = [];
      values.forEach((v, i) => {
        facts.push(...c.addList(c.site(r, ['spec', 'cidrs', i], `ServiceCIDR ${name}`, `spec.cidrs[${i}]`), 'service', 'ServiceCIDR', [v], { apiField: true, index: i }));
      });
      const site = c.site(r, ['spec', 'cidrs'], `ServiceCIDR ${name}`, 'spec.cidrs');
      c.serviceCIDRs.push({ site, name, cidrs: facts });
      if (name === 'kubernetes') c.claim(site, 'service', facts, 1, 'ServiceCIDR');
      return;
    }
    case 'IPPool':
      if (group === 'crd.projectcalico.org' || group === 'projectcalico.org') readCalicoPool(c, r, spec, ['spec'], `Calico IPPool ${r.ref.name}`, 'spec.', false);
      return;
    case 'Installation': {
      if (group !== 'operator.tigera.io') return;
      const net = isObject(spec.calicoNetwork) ? spec.calicoNetwork : undefined;
      if (!net || !Array.isArray(net.ipPools)) return;
      const before = c.cidrs.length;
      net.ipPools.forEach((p, i) => {
        if (isObject(p)) readCalicoPool(c, r, p, ['spec', 'calicoNetwork', 'ipPools', i], `Calico Installation ${r.ref.name}`, `spec.calicoNetwork.ipPools[${i}].`, true);
      });
      const pools = c.cidrs.slice(before);
      if (!pools.some((f) => f.family === 'IPv6')) {
        c.cni.push({
          site: c.site(r, ['spec', 'calicoNetwork', 'ipPools'], `Calico Installation ${r.ref.name}`, 'spec.calicoNetwork.ipPools'),
          cni: 'calico', ipv6: false, detail: 'spec.calicoNetwork.ipPools has no IPv6 pool',
        });
      }
      return;
    }
    case 'FelixConfiguration': {
      if (group !== 'crd.projectcalico.org' && group !== 'projectcalico.org') return;
      if (spec.ipv6Support === false) {
        c.cni.push({ site: c.site(r, ['spec', 'ipv6Support'], `Calico FelixConfiguration ${r.ref.name}`, 'spec.ipv6Support'), cni: 'calico', ipv6: false, detail: 'ipv6Support: false' });
      }
      return;
    }
    case 'DaemonSet':
      if (r.ref.name === 'calico-node') readCalicoNode(c, r, o);
      else if (r.ref.name === 'kube-proxy') readKubeProxyDaemonSet(c, r, o);
      return;
    case 'ConfigMap':
      if (av === 'v1') readConfigMap(c, r, o);
      return;
    case 'IPAddressPool': {
      if (group !== 'metallb.io' || !Array.isArray(spec.addresses)) return;
      spec.addresses.forEach((a, i) => {
        if (typeof a === 'string') c.addList(c.site(r, ['spec', 'addresses', i], `MetalLB IPAddressPool ${r.ref.name}`, `spec.addresses[${i}]`), 'lb', 'metallb', [a.trim()], { index: i });
      });
      return;
    }
    case 'CiliumLoadBalancerIPPool': {
      if (group !== 'cilium.io') return;
      for (const key of ['blocks', 'cidrs'] as const) {
        const list = spec[key];
        if (!Array.isArray(list)) continue;
        list.forEach((b, i) => {
          if (!isObject(b)) return;
          const obj = `CiliumLoadBalancerIPPool ${r.ref.name}`;
          if (typeof b.cidr === 'string') c.addList(c.site(r, ['spec', key, i, 'cidr'], obj, `spec.${key}[${i}].cidr`), 'lb', 'cilium', [b.cidr.trim()], { index: i });
          else if (typeof b.start === 'string') {
            c.addList(c.site(r, ['spec', key, i, 'start'], obj, `spec.${key}[${i}].start`), 'lb', 'cilium', [`${b.start.trim()}-${typeof b.stop === 'string' ? b.stop.trim() : b.start.trim()}`], { index: i });
          }
        });
      }
      return;
    }
    case 'CiliumPodIPPool': {
      if (group !== 'cilium.io') return;
      for (const fam of ['ipv4', 'ipv6'] as const) {
        const f = isObject(spec[fam]) ? spec[fam] : undefined;
        if (!f || !Array.isArray(f.cidrs)) continue;
        f.cidrs.forEach((v, i) => {
          if (typeof v === 'string') c.addList(c.site(r, ['spec', fam, 'cidrs', i], `CiliumPodIPPool ${r.ref.name}`, `spec.${fam}.cidrs[${i}]`), 'pod', 'cilium', [v.trim()], { index: i });
        });
      }
      return;
    }
    case 'Node': {
      if (av !== 'v1') return;
      const list = Array.isArray(spec.podCIDRs) ? spec.podCIDRs : typeof spec.podCIDR === 'string' ? [spec.podCIDR] : [];
      const key = Array.isArray(spec.podCIDRs) ? 'podCIDRs' : 'podCIDR';
      list.forEach((v, i) => {
        if (typeof v !== 'string') return;
        const path: JsonPath = key === 'podCIDRs' ? ['spec', 'podCIDRs', i] : ['spec', 'podCIDR'];
        c.addList(c.site(r, path, `Node ${r.ref.name}`, key === 'podCIDRs' ? `spec.podCIDRs[${i}]` : 'spec.podCIDR'), 'pod', 'node', [v], { apiField: true, index: i });
      });
      const status = isObject(o.status) ? o.status : {};
      if (Array.isArray(status.addresses)) {
        status.addresses.forEach((a, i) => {
          if (!isObject(a) || (a.type !== 'InternalIP' && a.type !== 'ExternalIP') || typeof a.address !== 'string') return;
          const ip = parseIP(a.address);
          // A host prefix of the address as written: ::ffff:a.b.c.d is 16 bytes (/128; Go's ParseCIDR reads
          // it as IPv4 /32), so the cidr rules see an IPv4-mapped address, not a broken "/32" CIDR.
          const bits = ip && ip.family === 'IPv4' && !ip.nonstandard.includes('ipv4Mapped') ? 32 : 128;
          const text = ip ? `${a.address}/${bits}` : a.address;
          c.addList(c.site(r, ['status', 'addresses', i, 'address'], `Node ${r.ref.name}`, `status.addresses[${i}] (${a.type})`), 'node', 'node', [text], { index: i });
        });
      }
      return;
    }
    case 'Pod':
      if (av === 'v1' && r.ref.namespace === 'kube-system' && /^kube-(apiserver|controller-manager)/.test(r.ref.name)) readControlPlanePod(c, r, o);
      return;
    case 'Service': {
      // default/kubernetes is always single-stack in the primary Service family (SEMANTICS.md a.7).
      if (av !== 'v1' || r.ref.name !== 'kubernetes' || r.ref.namespace !== 'default') return;
      const fams = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
      const f0 = fams[0] === 'IPv4' || fams[0] === 'IPv6' ? fams[0] : typeof spec.clusterIP === 'string' ? parseIP(spec.clusterIP)?.family : undefined;
      if (f0) {
        c.claims.push({
          site: c.site(r, fams.length > 0 ? ['spec', 'ipFamilies', 0] : ['spec', 'clusterIP'], 'Service default/kubernetes', fams.length > 0 ? 'spec.ipFamilies[0]' : 'spec.clusterIP'),
          about: 'service', families: [f0], primaryOnly: true, tier: 3, component: 'kubernetes-service', defaulted: false, recipe: false,
        });
      }
      return;
    }
    default:
  }
}

/**
 * Calico IPPool objects in the input but none for IPv6 workloads (and no IPv6 pool from calico-node
 * env or the operator): Calico has nowhere to take pod IPv6 addresses from. Reported on the first pool.
 */
function calicoPoolsWithoutIPv6(c: Collector): void {
  const calico = c.cidrs.filter((f) => f.component === 'calico' && f.role === 'pod');
  const pools = calico.filter((f) => f.site.object.startsWith('Calico IPPool'));
  if (pools.length === 0 || calico.some((f) => f.family === 'IPv6' && !f.disabled)) return;
  if (c.cni.some((s) => s.cni === 'calico' && s.generatedIPv6Pool)) return;
  const first = pools[0]!;
  c.cni.push({
    site: first.site,
    cni: 'calico', ipv6: false,
    detail: `no enabled IPv6 IPPool among the ${pools.length} Calico IPPool(s) in the input`,
  });
}

/** "kind Cluster kind-dual.yaml:7 networking.serviceSubnet" */
export function describeSite(site: ConfigSite, locate?: Locate): string {
  let where: string;
  if (site.source) {
    const loc = locate?.(site.source, site.path);
    where = loc ? `${loc.file}:${loc.line}` : site.source.file;
  } else {
    where = formatRef(site.ref);
  }
  return `${site.object} ${where} ${site.field}`;
}

const list = (f: readonly Family[]): string => `[${f.join(', ')}]`;

const sameFamilies = (a: readonly Family[], b: readonly Family[]): boolean =>
  a.length === b.length && a.every((f, i) => f === b[i]);

/** Read the address plan of every configuration object among the documents. */
export function buildClusterConfig(items: readonly { readonly doc: InputDocument; readonly resource: Resource }[], locate?: Locate): ClusterConfig {
  const c = new Collector();
  for (const { doc, resource } of items) {
    if (KINDS.has(resource.ref.kind)) readDoc(c, doc, resource);
  }
  calicoPoolsWithoutIPv6(c);
  // Only valid statements can be evidence: one family, or two different ones. The families are
  // inferred in model/families.ts; here only: do the strongest statements come from alternative
  // recipes that disagree (several clusters in one input, none of them the target)?
  const candidates = c.claims.filter((cl) => cl.about === 'service' && !cl.primaryOnly &&
    (cl.families.length === 1 || (cl.families.length === 2 && cl.families[0] !== cl.families[1])));
  let ambiguous: string[] | undefined;
  if (candidates.length > 0) {
    // Strongest tier first; inside a tier a written value beats a documented default, then input order.
    const best = [...candidates].sort((a, b) => a.tier - b.tier || Number(a.defaulted) - Number(b.defaulted))[0]!;
    const agreeing = candidates.filter((cl) => cl !== best && cl.tier === best.tier && sameFamilies(cl.families, best.families) && cl.site.objectKey !== best.site.objectKey);
    const disagreeing = candidates.filter((cl) => cl.tier === best.tier && (!cl.defaulted || best.defaulted) && !sameFamilies(cl.families, best.families));
    if (disagreeing.length > 0 && best.recipe && disagreeing.every((cl) => cl.recipe)) {
      const example = disagreeing[0]!;
      ambiguous = [
        `${1 + agreeing.length} cluster recipe(s) give Service families ${list(best.families)} (${describeSite(best.site, locate)}) but ${disagreeing.length} give other families ` +
        `(${describeSite(example.site, locate)}: ${list(example.families)}); the input holds alternative clusters, so none is inferred`,
      ];
    }
  }
  return {
    cidrs: c.cidrs, claims: c.claims, cni: c.cni, kubeProxy: c.kubeProxy, serviceCIDRs: c.serviceCIDRs,
    overlaps: cidrOverlaps(c.cidrs), references: referenceClaims(c.claims),
    ...(ambiguous ? { ambiguous } : {}),
  };
}

// ---- Derived facts --------------------------------------------------------------------------

const OVERLAP_ROLES = ['pod', 'service', 'node', 'lb'] as const;
const NONE = Number.POSITIVE_INFINITY;

const compareNet = (a: CidrFact, b: CidrFact): number => {
  const x = a.cidr!;
  const y = b.cidr!;
  if (x.family !== y.family) return x.family < y.family ? -1 : 1;
  for (let i = 0; i < x.network.length; i++) if (x.network[i] !== y.network[i]) return x.network[i]! - y.network[i]!;
  return x.prefix - y.prefix;
};

/**
 * For every fact, the first fact (in input order) of another role that overlaps it, when that one
 * comes earlier than the fact itself. CIDRs either nest or are disjoint, so after sorting by network
 * and prefix the overlapping ones of a fact are its ancestors and its subtree: one sweep, O(n log n).
 */
function cidrOverlaps(all: readonly CidrFact[]): Map<CidrFact, CidrFact> {
  const pos = new Map<CidrFact, number>();
  all.forEach((f, i) => pos.set(f, i));
  const sorted = all.filter((f) => f.cidr).sort((a, b) => compareNet(a, b) || pos.get(a)! - pos.get(b)!);
  interface Entry { f: CidrFact; anc: number[]; sub: number[] }
  const own = (e: Entry): number[] => OVERLAP_ROLES.map((r) => (e.f.role === r ? pos.get(e.f)! : NONE));
  const out = new Map<CidrFact, CidrFact>();
  const finish = (e: Entry): void => {
    const p = pos.get(e.f)!;
    let first = NONE;
    OVERLAP_ROLES.forEach((r, i) => {
      if (r !== e.f.role) first = Math.min(first, e.anc[i]!, e.sub[i]!);
    });
    if (first < p) out.set(e.f, all[first]!);
  };
  const stack: Entry[] = [];
  const pop = (): void => {
    const e = stack.pop()!;
    finish(e);
    const parent = stack[stack.length - 1];
    if (parent) {
      const mine = own(e);
      for (let i = 0; i < OVERLAP_ROLES.length; i++) parent.sub[i] = Math.min(parent.sub[i]!, e.sub[i]!, mine[i]!);
    }
  };
  for (const f of sorted) {
    while (stack.length > 0 && !cidrContains(stack[stack.length - 1]!.f.cidr!, f.cidr!)) pop();
    const top = stack[stack.length - 1];
    const anc = top ? own(top).map((v, i) => Math.min(v, top.anc[i]!)) : OVERLAP_ROLES.map(() => NONE);
    stack.push({ f, anc, sub: OVERLAP_ROLES.map(() => NONE) });
  }
  while (stack.length > 0) pop();
  return out;
}

interface ClaimIndex {
  readonly pos: Map<FamilyClaim, number>;
  readonly byObject: Map<string, FamilyClaim[]>;
  /** Service claims read from a cluster (not recipes): the only ones compared across objects. */
  readonly state: FamilyClaim[];
}
function claimIndex(claims: readonly FamilyClaim[]): ClaimIndex {
  const ix: ClaimIndex = { pos: new Map(), byObject: new Map(), state: [] };
  claims.forEach((c, i) => {
    ix!.pos.set(c, i);
    const sameObject = ix!.byObject.get(c.site.objectKey);
    if (sameObject) sameObject.push(c);
    else ix!.byObject.set(c.site.objectKey, [c]);
    if (!c.recipe && c.about === 'service' && !c.primaryOnly) ix!.state.push(c);
  });
  return ix;
}

/** Best Service-family claim usable as a reference for `c`: the same object, or another component. */
function referenceClaim(ix: ClaimIndex, c: FamilyClaim): FamilyClaim | undefined {
  const ci = ix.pos.get(c)!;
  let best: FamilyClaim | undefined;
  // Another object: compare state read from one cluster, of different components. Recipes
  // (kind configs, kubeadm files) in one input are usually alternatives, not one cluster.
  const others = c.recipe ? [] : ix.state.filter((r) => r.site.objectKey !== c.site.objectKey && r.component !== c.component);
  for (const r of [...(ix.byObject.get(c.site.objectKey) ?? []), ...others]) {
    if (r === c || r.about !== 'service' || r.primaryOnly) continue;
    // Judge a Service claim only against a stronger one (or an equal one written earlier), so a pair is reported once.
    const ri = ix.pos.get(r)!;
    if (c.about === 'service' && !c.primaryOnly && (r.tier > c.tier || (r.tier === c.tier && ri > ci))) continue;
    if (!best || r.tier < best.tier || (r.tier === best.tier && best.defaulted && !r.defaulted) ||
      (r.tier === best.tier && best.defaulted === r.defaulted && ri < ix.pos.get(best)!)) best = r;
  }
  return best;
}

/** For every claim, its reference claim (referenceClaim), when it has one. */
function referenceClaims(claims: readonly FamilyClaim[]): Map<FamilyClaim, FamilyClaim> {
  const ix = claimIndex(claims);
  const out = new Map<FamilyClaim, FamilyClaim>();
  for (const c of claims) {
    const r = referenceClaim(ix, c);
    if (r) out.set(c, r);
  }
  return out;
}
