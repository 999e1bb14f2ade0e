import rule from '../../src/rules/gke-static-address-single-family.ts';
import { gcpRuleTester, type GcpSpec } from '../helpers/gcp.ts';
import { ingress, lb } from '../helpers/gke.ts';

const CLUSTER: GcpSpec = { kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', datapath: 'ADVANCED_DATAPATH' };
const V4: GcpSpec = { kind: 'address', name: 'web-v4', region: 'europe-west1', ipVersion: 'IPV4' };
const V6: GcpSpec = { kind: 'address', name: 'web-v6', region: 'europe-west1', ipVersion: 'IPV6', endpoint: 'NETLB' };
const G4: GcpSpec = { kind: 'address', name: 'site-v4' };
const G6: GcpSpec = { kind: 'address', name: 'site-v6', ipVersion: 'IPV6' };
const DUAL = 'ipFamilyPolicy: RequireDualStack\nipFamilies: [IPv4, IPv6]';
const svc = (names: string): string => lb({ 'cloud.google.com/l4-rbs': 'enabled', 'networking.gke.io/load-balancer-ip-addresses': names }, DUAL);
const ing = (name: string, addr: string): string => ingress(name, { 'kubernetes.io/ingress.global-static-ip-name': addr });
const GATEWAY = (addr: string): string => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: site
  namespace: web
spec:
  gatewayClassName: gke-l7-global-external-managed
  listeners: [{name: http, protocol: HTTP, port: 80}]
  addresses:
  - type: NamedAddress
    value: ${addr}
`;

gcpRuleTester(rule, {
  valid: [
    { name: 'LoadBalancer names one address per family (fixed)', specs: [CLUSTER, V4, V6], manifests: svc('web-v4,web-v6') },
    { name: 'Ingress twins name an IPv4 and an IPv6 global address', specs: [CLUSTER, G4, G6], manifests: `${ing('site', 'site-v4')}---\n${ing('site-v6', 'site-v6')}` },
    { name: 'IPv4-only Gateway address on an IPv4 cluster', specs: [{ ...CLUSTER, stackType: 'IPV4' }, G4], manifests: GATEWAY('site-v4') },
  ],
  invalid: [
    {
      name: 'dual-stack LoadBalancer names an IPv4 address only', specs: [CLUSTER, V4, V6], manifests: svc('web-v4'),
      findings: [{ messageId: 'oneFamily', severity: 'medium', includes: 'web-v4: IPV4', at: { manifest: 'name: web', key: /load-balancer-ip-addresses/ } }],
    },
    {
      name: 'LoadBalancer names a global address', specs: [CLUSTER, V4, G6], manifests: svc('web-v4,site-v6'),
      findings: [{ messageId: 'wrongScope', includes: 'site-v6, which the input has only as a global address', at: { manifest: 'name: web', key: /load-balancer-ip-addresses/ } }],
    },
    {
      name: 'Ingress with an IPv4 global address and no twin', specs: [CLUSTER, G4], manifests: ing('site', 'site-v4'),
      findings: [{ messageId: 'oneFamily', includes: 'IPv6 frontend', at: { manifest: 'name: site', key: /global-static-ip-name/ } }],
    },
    {
      name: 'Gateway NamedAddress of one family', specs: [CLUSTER, G4], manifests: GATEWAY('site-v4'),
      findings: [{ messageId: 'oneFamily', at: { manifest: 'name: site', key: /- type: NamedAddress/ } }],
    },
  ],
});
