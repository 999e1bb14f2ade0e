import { defineRule, type RuleReport } from './types.ts';
import { fieldName, gcpTarget, type GcpTarget } from './helpers-gcp.ts';
import { subnetHasIPv6, subnetOf, type GcpCluster } from '../model/gcp.ts';

export default defineRule<GcpTarget<GcpCluster>>({
  meta: {
    id: 'gke-cluster-not-dual-stack',
    title: 'GKE cluster whose stack type is IPv4 only',
    category: 'cluster',
    severity: 'medium',
    scope: ['ContainerCluster'],
    rationale:
      'A GKE cluster gives its nodes, Pods and Services IPv6 addresses only when its IP allocation policy has the stack type IPV4_IPV6; IPV4, and a stack type that is not set, make an IPv4-only cluster. ' +
      'On such a cluster no Service can get an IPv6 address whatever its ipFamilyPolicy, and a LoadBalancer gets no IPv6 frontend. ' +
      'The stack type can be changed in place through the GKE API once the cluster\'s subnet is dual-stack, so it is the first step of a GKE dual-stack rollout.',
    docs: {
      noFixedExample: 'The fix is a setting of the GKE cluster or its VPC subnet in Google Cloud, outside the Kubernetes manifests.',
      notes: 'Evaluated on every GKE cluster of the input: Config Connector ContainerCluster, `gcloud container clusters describe` and `google_container_cluster` in `terraform show -json` (the last two with `--gcp FILE`). A stack type a Terraform plan does not know yet is not judged. The Kubernetes-level counterpart is cluster-not-dual-stack (kubeadm, kind, ServiceCIDR). Config Connector marks the stack type immutable, so a KCC-managed cluster is converted with gcloud or recreated (verify). Sources: GKE REST Cluster.ipAllocationPolicy.stackType and ClusterUpdate.desiredStackType (https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters), VPC-native dual-stack clusters (https://cloud.google.com/kubernetes-engine/docs/concepts/alias-ips), google_container_cluster ip_allocation_policy.stack_type (https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster).',
    },
    fix: { summary: 'Make the cluster\'s subnet dual-stack first, then set the cluster\'s stack type to IPV4_IPV6.' },
    messages: {
      ipv4: '{label} has stack type {stack}, so its nodes, Pods and Services get IPv4 only and no Service can get an IPv6 address; set {field} to IPV4_IPV6{subnet}',
    },
    references: ['https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters', 'https://cloud.google.com/kubernetes-engine/docs/concepts/alias-ips', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster'],
  },
  *targets({ model }) {
    for (const c of model.gcp.clusters) if (!c.stackType.unknown) yield gcpTarget(c);
  },
  *check({ obj: c }, { model }): Generator<RuleReport> {
    if (c.stackType.value === 'IPV4_IPV6') return;
    const s = subnetOf(model.gcp, c);
    const subnet = s === undefined ? ' (its subnet must be dual-stack first)'
      : subnetHasIPv6(s) ? ` (its subnet ${s.gcpName} is already ${s.stackType.value})` : ` after making its subnet ${s.gcpName} dual-stack`;
    yield {
      messageId: 'ipv4', path: c.stackType.path,
      data: { label: c.label, stack: c.stackType.value ?? 'unset (IPV4)', field: fieldName(c.form, 'clusterStackType'), subnet },
    };
  },
});
