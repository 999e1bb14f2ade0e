// Objects of tools that sit beside the cluster and decide its reachability over IPv6: external-dns
// DNSEndpoints, GKE MultiClusterIngresses, kind cluster configuration files. Pure: no I/O.

import type { InputDocument } from './types.ts';
import { buildDnsEndpoints, type DnsEndpoint } from './external-dns.ts';
import { buildMultiClusterIngresses, type MultiClusterIngress } from './gke-mci.ts';
import { buildKindClusters, type KindCluster } from './kind-cluster.ts';

export interface IntegrationsModel {
  readonly dnsEndpoints: readonly DnsEndpoint[];
  readonly multiClusterIngresses: readonly MultiClusterIngress[];
  readonly kindClusters: readonly KindCluster[];
}

export function buildIntegrations(docs: readonly InputDocument[]): IntegrationsModel {
  return {
    dnsEndpoints: buildDnsEndpoints(docs),
    multiClusterIngresses: buildMultiClusterIngresses(docs),
    kindClusters: buildKindClusters(docs),
  };
}
