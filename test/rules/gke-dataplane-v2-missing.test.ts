import rule from '../../src/rules/gke-dataplane-v2-missing.ts';
import { gcpRuleTester } from '../helpers/gcp.ts';

const FQDN = `apiVersion: networking.gke.io/v1alpha1
kind: FQDNNetworkPolicy
metadata:
  name: allow-api
  namespace: shop
spec:
  podSelector: {}
  egress:
  - matches:
    - name: api.example.com
`;
// An absent field points at its nearest ancestor: the spec, networkConfig, the resource's values.
const DATAPATH_ABSENT = { kcc: /^spec:/, gcloud: /^networkConfig:/, terraform: /"values": \{/ };

gcpRuleTester(rule, {
  valid: [
    { name: 'dual-stack on Dataplane V2 (fixed)', specs: [{ kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', datapath: 'ADVANCED_DATAPATH', fqdn: true, metrics: true }] },
    { name: 'Autopilot is Dataplane V2', specs: [{ kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', autopilot: true }], manifests: FQDN },
    { name: 'IPv4 legacy cluster without V2 features', specs: [{ kind: 'cluster', name: 'shop', stackType: 'IPV4', datapath: 'LEGACY_DATAPATH' }] },
  ],
  invalid: [
    {
      name: 'dual-stack on the legacy datapath', specs: [{ kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', datapath: 'LEGACY_DATAPATH' }],
      findings: [{ messageId: 'dualStack', severity: 'critical', at: { gcp: 'shop', key: { kcc: /datapathProvider:/, gcloud: /datapathProvider:/, terraform: /"datapath_provider"/ } } }],
    },
    {
      name: 'routes-based dual-stack', specs: [{ kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', datapath: 'ADVANCED_DATAPATH', routes: true }],
      findings: [{ messageId: 'routes', at: { gcp: 'shop', key: { kcc: /networkingMode:/, gcloud: /useIpAliases:/, terraform: /"networking_mode"/ } } }],
    },
    {
      name: 'FQDN policies enabled without Dataplane V2', specs: [{ kind: 'cluster', name: 'shop', stackType: 'IPV4', fqdn: true }],
      findings: [{ messageId: 'fqdn', severity: 'high', at: { gcp: 'shop', key: { kcc: /enableFqdnNetworkPolicy:/, gcloud: /enableFqdnNetworkPolicy:/, terraform: /"enable_fqdn_network_policy"/ } } }],
    },
    {
      name: 'FQDNNetworkPolicy objects on a legacy cluster', specs: [{ kind: 'cluster', name: 'shop', stackType: 'IPV4' }], manifests: FQDN,
      findings: [{ messageId: 'fqdnObjects', severity: 'high', includes: 'shop/allow-api', at: { gcp: 'shop', key: DATAPATH_ABSENT } }],
    },
    {
      name: 'observability without Dataplane V2', specs: [{ kind: 'cluster', name: 'shop', stackType: 'IPV4', datapath: 'LEGACY_DATAPATH', metrics: true }],
      findings: [{ messageId: 'observability', severity: 'high', at: { gcp: 'shop', key: { kcc: /enableMetrics:/, gcloud: /enableMetrics:/, terraform: /"enable_metrics"/ } } }],
    },
  ],
});
