import rule from '../../src/rules/gke-cluster-subnet-ipv4-only.ts';
import { gcpRuleTester, type GcpSpec } from '../helpers/gcp.ts';

const CLUSTER: GcpSpec = { kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', datapath: 'ADVANCED_DATAPATH', subnet: 'nodes' };
const SUBNETWORK = { kcc: /subnetworkRef:/, gcloud: /^ {2}subnetwork:/, terraform: /"subnetwork"/ };

gcpRuleTester(rule, {
  valid: [
    { name: 'dual-stack subnet (fixed)', specs: [{ kind: 'subnet', name: 'nodes', stackType: 'IPV4_IPV6', access: 'EXTERNAL' }, CLUSTER] },
    { name: 'an IPv4 cluster may sit on a dual-stack subnet', specs: [{ kind: 'subnet', name: 'nodes', stackType: 'IPV4_IPV6', access: 'INTERNAL' }, { ...CLUSTER, stackType: 'IPV4' }, { kind: 'cluster', name: 'other', stackType: 'IPV4_IPV6', datapath: 'ADVANCED_DATAPATH', subnet: 'nodes' }] },
  ],
  invalid: [
    {
      name: 'subnet stack type unset', specs: [{ kind: 'subnet', name: 'nodes' }, CLUSTER],
      findings: [{ messageId: 'ipv4Subnet', severity: 'critical', at: { gcp: 'shop', key: SUBNETWORK }, includes: 'unset (IPV4_ONLY)' }],
    },
    {
      name: 'subnet IPV4_ONLY', specs: [{ kind: 'subnet', name: 'nodes', stackType: 'IPV4_ONLY' }, CLUSTER],
      findings: [{ messageId: 'ipv4Subnet', at: { gcp: 'shop', key: SUBNETWORK }, includes: 'stack type IPV4_ONLY' }],
    },
  ],
});
