import { defineRule, type RuleReport } from './types.ts';
import { fieldName, gcpTarget, type GcpTarget } from './helpers-gcp.ts';
import type { GcpCluster } from '../model/gcp.ts';

export default defineRule<GcpTarget<GcpCluster>>({
  meta: {
    id: 'gke-dpv2-observability-off',
    title: 'Dual-stack Dataplane V2 cluster without Dataplane V2 observability',
    category: 'observability',
    severity: 'low',
    scope: ['ContainerCluster'],
    rationale:
      'GKE Dataplane V2 observability exposes per-flow metrics (traffic between Pods and Services, network policy verdicts) and, with the relay (managed Hubble), live flows. ' +
      'During a dual-stack rollout they are how a team sees IPv6 traffic arrive, and which policies drop it; without them the rollout\'s network side has no per-family signal at the cluster level. ' +
      'They are set at creation or by updating a Dataplane V2 cluster (GKE 1.28 and later).',
    docs: {
      noFixedExample: 'The fix is a setting of the GKE cluster or its VPC subnet in Google Cloud, outside the Kubernetes manifests.',
      notes: 'Evaluated on dual-stack Dataplane V2 clusters (Config Connector, `gcloud container clusters describe`, `terraform show -json`). Autopilot clusters with no setting pass: their Dataplane V2 metrics are on by default. Metrics off is the finding; metrics on without the relay is info. Sources: https://cloud.google.com/kubernetes-engine/docs/concepts/about-dpv2-observability, https://cloud.google.com/kubernetes-engine/docs/how-to/configure-dpv2-observability, GKE REST AdvancedDatapathObservabilityConfig (enableMetrics, enableRelay, relayMode; https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters).',
    },
    fix: { summary: 'Turn on Dataplane V2 metrics (and the relay for flow observability) on the cluster, and scrape them with Managed Service for Prometheus.' },
    messages: {
      metricsOff: '{label} is dual-stack on Dataplane V2 without its observability metrics, so IPv6 flows and policy verdicts have no cluster-level metrics during the rollout; set {field} to true',
      relayOff: '{label} has Dataplane V2 metrics but no relay (managed Hubble), so individual IPv6 flows and drops cannot be followed live; turn on {field}',
    },
    references: ['https://cloud.google.com/kubernetes-engine/docs/concepts/about-dpv2-observability', 'https://cloud.google.com/kubernetes-engine/docs/how-to/configure-dpv2-observability', 'https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters'],
  },
  *targets({ model }) {
    for (const c of model.gcp.clusters) {
      if (c.stackType.value !== 'IPV4_IPV6' || !c.dpv2 || c.observabilityMetrics.unknown) continue;
      if (c.autopilot && c.observabilityMetrics.value === undefined) continue;
      yield gcpTarget(c);
    }
  },
  *check({ obj: c }): Generator<RuleReport> {
    if (c.observabilityMetrics.value !== true) {
      yield { messageId: 'metricsOff', path: c.observabilityMetrics.path, data: { label: c.label, field: fieldName(c.form, 'metrics') } };
    } else if (c.observabilityRelay.value !== true && !c.observabilityRelay.unknown) {
      yield { messageId: 'relayOff', path: c.observabilityRelay.path, severity: 'info', data: { label: c.label, field: fieldName(c.form, 'relay') } };
    }
  },
});
