// The Service families of the cluster a plan runs against, inferred from what it stores.
// SEMANTICS.md a.7: the allocators come from kube-apiserver --service-cluster-ip-range (primary
// first); since 1.33 the ServiceCIDR `kubernetes` reflects that flag (web:tasks/network/
// reconfigure-default-service-ip-ranges.md); other ServiceCIDRs do not add a family to
// Services; the default/kubernetes Service is single-stack in the primary family. A Service
// holding an address of a family proves the cluster allocated that family. Node podCIDRs are the
// pod network, not Service families: shown as context only.

import type { Family, InputDocument } from '../model/types.ts';
import { otherFamily } from '../model/types.ts';
import { parseCIDR, parseIP } from '../emulate/ip.ts';

export interface FamiliesDecision {
  readonly families: readonly Family[];
  readonly from: 'flag' | 'inferred';
  /** How they were found, one line each. */
  readonly evidence: readonly string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const meta = (o: Readonly<Obj>): Obj => (isObj(o.metadata) ? o.metadata : {});
const spec = (o: Readonly<Obj>): Obj => (isObj(o.spec) ? o.spec : {});
const list = (f: readonly string[]): string => `[${f.join(', ')}]`;

/** A Service's cluster IPs (clusterIPs, else clusterIP), without None. */
export function serviceClusterIPs(o: Readonly<Obj>): string[] {
  const s = spec(o);
  const plural = strings(s.clusterIPs);
  const ips = plural.length > 0 ? plural : typeof s.clusterIP === 'string' && s.clusterIP !== '' ? [s.clusterIP] : [];
  return ips.filter((ip) => ip !== 'None');
}

const familyOfIP = (ip: string): Family | undefined => parseIP(ip, { sloppy: true })?.family;

/** Infer the Service families from stored objects; undefined when nothing tells. */
export function inferServiceFamilies(stored: readonly InputDocument[]): FamiliesDecision | undefined {
  const evidence: string[] = [];
  let fromCidr: Family[] | undefined;
  let kubernetesSvc: { ip: string; family: Family } | undefined;
  const servicesByFamily: Record<Family, string[]> = { IPv4: [], IPv6: [] };
  const nodeShapes = new Map<string, number>();
  for (const d of stored) {
    const o = d.object;
    const name = String(meta(o).name ?? '');
    if (o.kind === 'ServiceCIDR' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('networking.k8s.io/')) {
      const cidrs = strings(spec(o).cidrs);
      const fams = cidrs.map((c) => parseCIDR(c, { sloppy: true })?.family);
      const valid = fams.length > 0 && fams.length <= 2 && fams.every((f) => f !== undefined) && new Set(fams).size === fams.length;
      if (name === 'kubernetes' && valid) {
        fromCidr = fams as Family[];
        evidence.push(`ServiceCIDR kubernetes spec.cidrs ${list(cidrs)} (the apiserver's --service-cluster-ip-range, primary first)`);
      } else if (name !== 'kubernetes') {
        evidence.push(`ServiceCIDR ${name} ${list(cidrs)} adds addresses, not a Service family`);
      }
    } else if (o.kind === 'Service' && o.apiVersion === 'v1') {
      const ips = serviceClusterIPs(o);
      const ns = String(meta(o).namespace ?? 'default');
      if (ns === 'default' && name === 'kubernetes' && ips[0]) {
        const f = familyOfIP(ips[0]);
        if (f) kubernetesSvc = { ip: ips[0], family: f };
      }
      for (const ip of ips) {
        const f = familyOfIP(ip);
        if (f && !servicesByFamily[f].includes(`${ns}/${name}`)) servicesByFamily[f].push(`${ns}/${name}`);
      }
    } else if (o.kind === 'Node' && o.apiVersion === 'v1') {
      const cidrs = strings(spec(o).podCIDRs);
      const all = cidrs.length > 0 ? cidrs : typeof spec(o).podCIDR === 'string' ? [spec(o).podCIDR as string] : [];
      const shape = list(all.map((c) => parseCIDR(c, { sloppy: true })?.family ?? '?'));
      nodeShapes.set(shape, (nodeShapes.get(shape) ?? 0) + 1);
    }
  }
  if (kubernetesSvc) evidence.push(`Service default/kubernetes clusterIP ${kubernetesSvc.ip}: the primary family is ${kubernetesSvc.family}`);
  for (const f of ['IPv4', 'IPv6'] as const) {
    const s = servicesByFamily[f];
    if (s.length > 0) evidence.push(`${s.length} Service(s) hold ${f} cluster IPs (${s.slice(0, 3).join(', ')}${s.length > 3 ? ', ...' : ''})`);
  }
  if (nodeShapes.size > 0) {
    evidence.push(`Node podCIDRs (pod network, not Service families): ${[...nodeShapes].map(([shape, n]) => `${n} node(s) ${shape}`).join(', ')}`);
  }
  let families: Family[] | undefined;
  if (fromCidr) {
    families = fromCidr;
    const beyond = (['IPv4', 'IPv6'] as const).filter((f) => !fromCidr!.includes(f) && servicesByFamily[f].length > 0);
    if (beyond.length > 0) evidence.push(`but Services hold ${beyond.join(', ')} addresses the ServiceCIDR does not list: check the apiserver flags`);
  } else {
    const primary = kubernetesSvc?.family
      ?? (servicesByFamily.IPv4.length >= servicesByFamily.IPv6.length ? (servicesByFamily.IPv4.length > 0 ? 'IPv4' : undefined) : 'IPv6');
    if (!primary) return undefined;
    if (!kubernetesSvc) evidence.push(`no default/kubernetes Service: ${primary} taken as the primary family because most Services hold it`);
    const other = otherFamily(primary);
    families = servicesByFamily[other].length > 0 ? [primary, other] : [primary];
    if (families.length === 1) evidence.push(`no Service holds an ${other} cluster IP, so ${other} is taken as not configured`);
  }
  return { families, from: 'inferred', evidence };
}
