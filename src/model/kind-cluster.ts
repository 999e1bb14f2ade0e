// kind cluster configuration files (kind: Cluster, kind.x-k8s.io/v1alpha4): the cluster's IP
// family and each node's extraPortMappings, as kind reads them. Pure: no I/O.
//
// kind pkg/apis/config/v1alpha4/default.go: networking.ipFamily defaults to ipv4.
// kind pkg/cluster/internal/providers/{docker,podman,nerdctl}/provision.go (generatePortMappings):
// an empty listenAddress becomes "0.0.0.0" for ipv4 and dual clusters and "::" for ipv6 ones,
// and the mapping is published as --publish=<listenAddress>:<hostPort>:<containerPort>/<protocol>.

import type { InputDocument, JsonPath } from './types.ts';
import { isObject, str, toResource, type Resource } from './resources.ts';

export type KindIpFamily = 'ipv4' | 'ipv6' | 'dual';

export interface KindPortMapping {
  /** The extraPortMappings entry. */
  readonly path: JsonPath;
  readonly containerPort?: number;
  /** Unset, 0 or -1: a random port (kind or the node backend picks it). */
  readonly hostPort?: number;
  /** As written; undefined when unset (kind then uses its per-family default). */
  readonly listenAddress?: string;
  /** TCP when unset (kind's default). */
  readonly protocol: string;
  /** The node's role (control-plane, worker) and its index in nodes. */
  readonly node: { readonly index: number; readonly role: string };
}

export interface KindCluster extends Resource {
  readonly ipFamily: KindIpFamily;
  /** Whether networking.ipFamily was written (else kind's default, ipv4). */
  readonly ipFamilySet: boolean;
  readonly portMappings: readonly KindPortMapping[];
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/** A kind configuration document (any kind.x-k8s.io version). */
export const isKindCluster = (o: Readonly<Record<string, unknown>>): boolean =>
  o.kind === 'Cluster' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('kind.x-k8s.io/');

export function readKindCluster(doc: InputDocument): KindCluster | undefined {
  const o = doc.object;
  if (!isKindCluster(o)) return undefined;
  const net = isObject(o.networking) ? o.networking : {};
  const fam = str(net.ipFamily);
  const ipFamily: KindIpFamily = fam === 'ipv6' || fam === 'dual' ? fam : 'ipv4';
  const portMappings: KindPortMapping[] = [];
  (Array.isArray(o.nodes) ? o.nodes : []).forEach((n, index) => {
    if (!isObject(n)) return;
    const role = str(n.role) ?? 'control-plane';
    (Array.isArray(n.extraPortMappings) ? n.extraPortMappings : []).forEach((pm, i) => {
      if (!isObject(pm)) return;
      const containerPort = num(pm.containerPort);
      const hostPort = num(pm.hostPort);
      const listenAddress = str(pm.listenAddress);
      portMappings.push({
        path: ['nodes', index, 'extraPortMappings', i],
        ...(containerPort !== undefined ? { containerPort } : {}),
        ...(hostPort !== undefined ? { hostPort } : {}),
        ...(listenAddress !== undefined && listenAddress !== '' ? { listenAddress } : {}),
        protocol: (str(pm.protocol) ?? 'TCP').toUpperCase(),
        node: { index, role },
      });
    });
  });
  return { ...toResource(doc), ipFamily, ipFamilySet: fam !== undefined, portMappings };
}

export function buildKindClusters(docs: readonly InputDocument[]): KindCluster[] {
  const out: KindCluster[] = [];
  for (const d of docs) {
    const k = readKindCluster(d);
    if (k) out.push(k);
  }
  return out;
}
