import rule from '../../src/rules/gke-dpv2-observability-off.ts';
import { gcpRuleTester, type ClusterSpec } from '../helpers/gcp.ts';

const C: ClusterSpec = { kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', datapath: 'ADVANCED_DATAPATH' };

gcpRuleTester(rule, {
  valid: [
    { name: 'metrics and relay on (fixed)', specs: [{ ...C, metrics: true, relay: true }] },
    { name: 'Autopilot defaults to metrics on', specs: [{ kind: 'cluster', name: 'shop', stackType: 'IPV4_IPV6', autopilot: true }, { kind: 'cluster', name: 'b', stackType: 'IPV4_IPV6', datapath: 'ADVANCED_DATAPATH', metrics: true, relay: true }] },
  ],
  invalid: [
    {
      name: 'no observability config', specs: [C],
      findings: [{ messageId: 'metricsOff', severity: 'low', at: { gcp: 'shop', key: { kcc: /^spec:/, gcloud: /^name: shop/, terraform: /"values": \{/ } } }],
    },
    {
      name: 'metrics off', specs: [{ ...C, metrics: false }],
      findings: [{ messageId: 'metricsOff', at: { gcp: 'shop', key: { kcc: /enableMetrics:/, gcloud: /enableMetrics:/, terraform: /"enable_metrics"/ } } }],
    },
    {
      name: 'metrics on, relay off: info', specs: [{ ...C, metrics: true, relay: false }],
      findings: [{ messageId: 'relayOff', severity: 'info', at: { gcp: 'shop', key: { kcc: /relayMode:/, gcloud: /enableRelay:/, terraform: /"enable_relay"/ } } }],
    },
  ],
});
