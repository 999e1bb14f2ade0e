import rule from '../../src/rules/gke-cluster-not-dual-stack.ts';
import { gcpRuleTester, type GcpSpec } from '../helpers/gcp.ts';

const SUBNET_V4: GcpSpec = { kind: 'subnet', name: 'nodes', stackType: 'IPV4_ONLY' };
const SUBNET_DUAL: GcpSpec = { kind: 'subnet', name: 'nodes', stackType: 'IPV4_IPV6', access: 'EXTERNAL' };
const STACK = { kcc: /stackType:/, gcloud: /stackType:/, terraform: /"stack_type"/ };

gcpRuleTester(rule, {
  valid: [
    { name: 'dual-stack cluster (fixed)', specs: [SUBNET_DUAL, { kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', datapath: 'ADVANCED_DATAPATH', subnet: 'nodes' }] },
  ],
  invalid: [
    {
      name: 'stack type IPV4 on an IPv4-only subnet', specs: [SUBNET_V4, { kind: 'cluster', name: 'shop', stackType: 'IPV4', subnet: 'nodes' }],
      findings: [{ messageId: 'ipv4', at: { gcp: 'shop', key: STACK }, includes: 'after making its subnet nodes dual-stack' }],
    },
    {
      name: 'stack type unset, subnet already dual-stack', specs: [SUBNET_DUAL, { kind: 'cluster', name: 'shop', subnet: 'nodes' }],
      findings: [{ messageId: 'ipv4', severity: 'medium', at: { gcp: 'shop', key: { kcc: /ipAllocationPolicy:/, gcloud: /ipAllocationPolicy:/, terraform: /^\s*\{\s*$/ } }, includes: 'unset (IPV4)' }],
    },
  ],
});
