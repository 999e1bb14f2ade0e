import rule from '../../src/rules/gke-lb-subnet-ipv6-mismatch.ts';
import { gcpRuleTester, type GcpSpec } from '../helpers/gcp.ts';
import { lb } from '../helpers/gke.ts';

const CLUSTER: GcpSpec = { kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', datapath: 'ADVANCED_DATAPATH', subnet: 'nodes' };
const EXT: GcpSpec = { kind: 'subnet', name: 'nodes', stackType: 'IPV4_IPV6', access: 'EXTERNAL' };
const INT: GcpSpec = { kind: 'subnet', name: 'inner', stackType: 'IPV4_IPV6', access: 'INTERNAL' };
const DUAL = 'ipFamilyPolicy: RequireDualStack\nipFamilies: [IPv4, IPv6]';
const internal = (subnet?: string): string => lb({ 'networking.gke.io/load-balancer-type': 'Internal', ...(subnet ? { 'networking.gke.io/load-balancer-subnet': subnet } : {}) }, DUAL, { name: 'api' });
const external = lb({ 'cloud.google.com/l4-rbs': 'enabled' }, DUAL);

gcpRuleTester(rule, {
  valid: [
    { name: 'internal LB on an INTERNAL subnet (fixed)', specs: [CLUSTER, EXT, INT], manifests: internal('inner') },
    { name: 'external RBS LB on the cluster\'s EXTERNAL subnet', specs: [CLUSTER, EXT], manifests: external },
    { name: 'IPv4-only internal LB on the EXTERNAL cluster subnet', specs: [CLUSTER, EXT, INT], manifests: `${lb({ 'networking.gke.io/load-balancer-type': 'Internal' }, 'ipFamilies: [IPv4]', { name: 'v4' })}---\n${internal('inner')}` },
  ],
  invalid: [
    {
      name: 'internal LB on the cluster\'s EXTERNAL subnet', specs: [CLUSTER, EXT, INT], manifests: internal(),
      findings: [{ messageId: 'wrongAccess', severity: 'high', includes: 'the cluster\'s subnet ComputeSubnetwork nodes', at: { manifest: 'name: api', key: /type: LoadBalancer/ } }],
    },
    {
      name: 'external LB pinned to an INTERNAL subnet', specs: [CLUSTER, EXT, INT], manifests: lb({ 'cloud.google.com/l4-rbs': 'enabled', 'networking.gke.io/load-balancer-subnet': 'inner' }, DUAL),
      findings: [{ messageId: 'wrongAccess', includes: 'external IPv6 frontends only from EXTERNAL subnets', at: { manifest: 'name: web', key: /load-balancer-subnet/ } }],
    },
    {
      name: 'internal LB pinned to an IPv4-only subnet', specs: [CLUSTER, EXT, { kind: 'subnet', name: 'legacy', stackType: 'IPV4_ONLY' }],
      manifests: lb({ 'networking.gke.io/load-balancer-type': 'Internal', 'networking.gke.io/internal-load-balancer-subnet': 'legacy' }, DUAL, { name: 'api' }),
      findings: [{ messageId: 'noIPv6', includes: 'stack type IPV4_ONLY', at: { manifest: 'name: api', key: /internal-load-balancer-subnet/ } }],
    },
  ],
});
