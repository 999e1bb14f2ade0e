import { defineRule, type RuleReport, type Target } from './types.ts';
import type { KindCluster, KindPortMapping } from '../model/kind-cluster.ts';
import { parseIP } from '../emulate/ip.ts';

interface KindTarget extends Target {
  readonly cluster: KindCluster;
}

export default defineRule<KindTarget>({
  meta: {
    id: 'kind-port-mapping-ipv4-only',
    title: 'kind port mappings published on IPv4 only on a dual-stack kind cluster',
    category: 'cluster',
    severity: 'low',
    scope: ['Cluster'],
    needsValue: true,
    rationale:
      'kind publishes each extraPortMappings entry on the host with the node backend (docker, podman, nerdctl) as --publish=<listenAddress>:<hostPort>:<containerPort>. ' +
      'When listenAddress is unset, kind fills in 0.0.0.0 for ipv4 and dual clusters (and :: only for ipv6 ones), and a port published on 0.0.0.0 is bound on the host\'s IPv4 addresses only. ' +
      'On a cluster created with networking.ipFamily: dual to test IPv6, the ingress or NodePort behind the mapping is then unreachable from the host over IPv6 ([::1], the host\'s IPv6 address), ' +
      'and a client that tries ::1 first for localhost falls back to IPv4 without showing it: the IPv6 path is never exercised.',
    docs: {
      noFixedExample: 'kind refuses a second mapping of the same hostPort on "::" next to 0.0.0.0 (validate.go treats the two wildcards as one), so the IPv6 mapping needs another host port, which only you can choose.',
      notes: 'Reads kind configuration files (kind: Cluster, apiVersion kind.x-k8s.io/v1alpha4), so it runs on files only: a live cluster has no such object. ' +
        'Reported for networking.ipFamily: dual with listenAddress unset or 0.0.0.0, unless the same node maps the same containerPort and protocol on an IPv6 address too; an explicit address (127.0.0.1, ::, a host address) is taken as chosen. ' +
        'Whether a port published on :: also accepts IPv4 depends on the Docker version and its userland proxy (verify for your engine). ' +
        'Sources: kind pkg/cluster/internal/providers/docker/provision.go (generatePortMappings), pkg/apis/config/v1alpha4/default.go, pkg/internal/apis/config/validate.go (validatePortMappings); Docker port publishing docs.',
    },
    fix: {
      summary: 'Publish the port on IPv6 as well: add an extraPortMappings entry with the same containerPort, listenAddress: "::" and another hostPort (kind rejects the same hostPort on both wildcards), or set listenAddress: "::" when IPv6 is the family you need to reach.',
    },
    messages: {
      unset: 'extraPortMappings entry (hostPort {hostPort} -> containerPort {containerPort}) has no listenAddress, and kind publishes it on 0.0.0.0 for a dual cluster: IPv6 clients on the host cannot reach it',
      ipv4Wildcard: 'extraPortMappings entry (hostPort {hostPort} -> containerPort {containerPort}) listens on 0.0.0.0 on a dual cluster, so the host port is bound on IPv4 only: IPv6 clients on the host cannot reach it',
    },
    references: [
      'https://github.com/kubernetes-sigs/kind/blob/main/pkg/cluster/internal/providers/docker/provision.go',
      'https://github.com/kubernetes-sigs/kind/blob/main/pkg/apis/config/v1alpha4/default.go',
      'https://github.com/kubernetes-sigs/kind/blob/main/pkg/internal/apis/config/validate.go',
      'https://kind.sigs.k8s.io/docs/user/configuration/#extra-port-mappings',
      'https://docs.docker.com/engine/network/port-publishing/',
    ],
  },
  *targets({ model }) {
    for (const cluster of model.integrations.kindClusters) {
      if (cluster.ipFamily !== 'dual' || cluster.portMappings.length === 0) continue;
      yield { ref: cluster.ref, ...(cluster.source ? { source: cluster.source } : {}), annotations: cluster.annotations, cluster };
    }
  },
  *check({ cluster }): Generator<RuleReport> {
    // A mapping of the same node, container port and protocol on an IPv6 address is the IPv6 side.
    const v6Twin = (pm: KindPortMapping): boolean => cluster.portMappings.some((o) => o !== pm && o.node.index === pm.node.index
      && o.containerPort === pm.containerPort && o.protocol === pm.protocol && o.listenAddress !== undefined && parseIP(o.listenAddress)?.family === 'IPv6');
    for (const pm of cluster.portMappings) {
      const addr = pm.listenAddress;
      if ((addr !== undefined && addr !== '0.0.0.0') || v6Twin(pm)) continue;
      const data = {
        hostPort: pm.hostPort === undefined || pm.hostPort <= 0 ? '(random)' : pm.hostPort,
        containerPort: pm.containerPort ?? '(unset)',
      };
      yield addr === undefined
        ? { messageId: 'unset', path: pm.path, data }
        : { messageId: 'ipv4Wildcard', path: [...pm.path, 'listenAddress'], data };
    }
  },
});
