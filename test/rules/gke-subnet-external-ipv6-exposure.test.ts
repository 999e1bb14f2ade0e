import rule from '../../src/rules/gke-subnet-external-ipv6-exposure.ts';
import { gcpRuleTester, type GcpSpec } from '../helpers/gcp.ts';

const CLUSTER: GcpSpec = { kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', datapath: 'ADVANCED_DATAPATH', subnet: 'nodes' };
const SUBNETWORK = { kcc: /subnetworkRef:/, gcloud: /^ {2}subnetwork:/, terraform: /"subnetwork"/ };
const DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

gcpRuleTester(rule, {
  valid: [
    { name: 'INTERNAL (ULA) subnet (fixed)', specs: [{ kind: 'subnet', name: 'nodes', stackType: 'IPV4_IPV6', access: 'INTERNAL' }, CLUSTER] },
  ],
  invalid: [
    {
      name: 'EXTERNAL subnet and no ingress policy', specs: [{ kind: 'subnet', name: 'nodes', stackType: 'IPV4_IPV6', access: 'EXTERNAL' }, CLUSTER],
      findings: [{ messageId: 'exposed', severity: 'medium', at: { gcp: 'shop', key: SUBNETWORK } }],
    },
    {
      name: 'EXTERNAL subnet with a default-deny ingress policy: info naming it', specs: [{ kind: 'subnet', name: 'nodes', stackType: 'IPV4_IPV6', access: 'EXTERNAL' }, CLUSTER], manifests: DENY,
      findings: [{ messageId: 'covered', severity: 'info', at: { gcp: 'shop', key: SUBNETWORK }, includes: 'NetworkPolicy/shop/default-deny' }],
    },
  ],
});
