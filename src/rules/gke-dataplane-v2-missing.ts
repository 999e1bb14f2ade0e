import { defineRule, type RuleReport } from './types.ts';
import { fieldName, gcpTarget, type GcpTarget } from './helpers-gcp.ts';
import { theCluster, type GcpCluster } from '../model/gcp.ts';

export default defineRule<GcpTarget<GcpCluster>>({
  meta: {
    id: 'gke-dataplane-v2-missing',
    title: 'GKE cluster features that need Dataplane V2 on a legacy-datapath cluster',
    category: 'cluster',
    severity: 'critical',
    scope: ['ContainerCluster'],
    rationale:
      'Several GKE features that a dual-stack rollout uses exist only on GKE Dataplane V2 (datapathProvider ADVANCED_DATAPATH; always on in Autopilot): dual-stack clusters themselves, FQDN network policies (FQDNNetworkPolicy egress by name, which is how a policy reaches an external service over both families) and Dataplane V2 observability (per-flow metrics and the managed Hubble relay). ' +
      'On the legacy datapath (kube-proxy and Calico) GKE refuses the dual-stack cluster, and FQDN policies are not enforced. The datapath is chosen at creation: moving an existing cluster to Dataplane V2 is a Preview migration with preconditions, or a new cluster.',
    docs: {
      noFixedExample: 'Dataplane V2 is chosen when the GKE cluster is created, outside the Kubernetes manifests.',
      notes: 'Evaluated on every GKE cluster of the input (Config Connector, `gcloud container clusters describe`, `terraform show -json`). An absent datapathProvider means the legacy datapath; Autopilot clusters count as Dataplane V2. Findings: a dual-stack stack type (critical; the GKE docs sentence requiring Dataplane V2 was not retrieved (verify); evidence: the google provider\'s dual-stack acceptance test sets ADVANCED_DATAPATH, GoogleCloudPlatform/magic-modules PR #7459, cilium/cilium issue #37143); enableFqdnNetworkPolicy, or FQDNNetworkPolicy objects in an input with one cluster (high; "Your cluster must use GKE Dataplane V2", https://cloud.google.com/kubernetes-engine/docs/how-to/fqdn-network-policies); advanced datapath observability turned on (high; https://cloud.google.com/kubernetes-engine/docs/concepts/about-dpv2-observability). Routes-based dual-stack clusters are refused too (dual-stack needs VPC-native, https://cloud.google.com/kubernetes-engine/docs/how-to/alias-ips). Migration: https://cloud.google.com/kubernetes-engine/docs/how-to/migrate-dataplane-v2.',
    },
    fix: { summary: 'Create the cluster with Dataplane V2 (datapathProvider: ADVANCED_DATAPATH, gcloud --enable-dataplane-v2, Terraform datapath_provider), VPC-native, or migrate an existing cluster to it.' },
    messages: {
      dualStack: '{label} is dual-stack on the legacy datapath ({datapath}): GKE offers dual-stack only on Dataplane V2, so the cluster is refused; set {field} to ADVANCED_DATAPATH (a new cluster, or the Dataplane V2 migration)',
      routes: '{label} is dual-stack but routes-based: dual-stack GKE clusters must be VPC-native, and a cluster cannot be converted between the two; create it VPC-native',
      fqdn: '{label} enables FQDN network policies on the legacy datapath ({datapath}): they need Dataplane V2 and are not enforced; set {field} to ADVANCED_DATAPATH',
      fqdnObjects: '{label} runs the legacy datapath ({datapath}) but the input has {count} FQDNNetworkPolicy object(s) (first: {policy}): FQDN network policies need Dataplane V2 and enableFqdnNetworkPolicy, so their egress by name is not enforced; set {field} to ADVANCED_DATAPATH',
      observability: '{label} turns on Dataplane V2 observability on the legacy datapath ({datapath}): flow metrics and the managed Hubble relay exist only on Dataplane V2; set {field} to ADVANCED_DATAPATH',
    },
    references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/fqdn-network-policies', 'https://cloud.google.com/kubernetes-engine/docs/concepts/about-dpv2-observability', 'https://cloud.google.com/kubernetes-engine/docs/how-to/dataplane-v2', 'https://cloud.google.com/kubernetes-engine/docs/how-to/alias-ips', 'GoogleCloudPlatform/magic-modules#7459'],
  },
  *targets({ model }) {
    for (const c of model.gcp.clusters) if (!c.datapath.unknown) yield gcpTarget(c);
  },
  *check({ obj: c }, { model }): Generator<RuleReport> {
    const data = { label: c.label, datapath: c.datapath.value ?? 'unset, legacy', field: fieldName(c.form, 'datapath') };
    if (c.stackType.value === 'IPV4_IPV6' && c.vpcNative.value === false) {
      yield { messageId: 'routes', path: c.vpcNative.path, data };
    }
    if (c.dpv2) return;
    if (c.stackType.value === 'IPV4_IPV6') yield { messageId: 'dualStack', path: c.datapath.path, data };
    if (c.fqdnNetworkPolicy.value === true) {
      yield { messageId: 'fqdn', path: c.fqdnNetworkPolicy.path, severity: 'high', data };
    } else if (model.policies.fqdn.length > 0 && theCluster(model.gcp) === c) {
      const p = model.policies.fqdn[0]!;
      yield { messageId: 'fqdnObjects', path: c.datapath.path, severity: 'high', data: { ...data, count: model.policies.fqdn.length, policy: `${p.ref.namespace ?? 'default'}/${p.ref.name}` } };
    }
    if (c.observabilityMetrics.value === true || c.observabilityRelay.value === true) {
      yield { messageId: 'observability', path: c.observabilityMetrics.value === true ? c.observabilityMetrics.path : c.observabilityRelay.path, severity: 'high', data };
    }
  },
});
