import { defineRule, type RuleReport } from './types.ts';
import { fieldName, gcpTarget, type GcpTarget } from './helpers-gcp.ts';
import { subnetHasIPv6, subnetOf, type GcpCluster, type GcpSubnet } from '../model/gcp.ts';

interface T extends GcpTarget<GcpCluster> {
  readonly subnet: GcpSubnet;
}

export default defineRule<T>({
  meta: {
    id: 'gke-cluster-subnet-ipv4-only',
    title: 'Dual-stack GKE cluster on an IPv4-only subnet',
    category: 'cluster',
    severity: 'critical',
    scope: ['ContainerCluster'],
    rationale:
      'A dual-stack GKE cluster takes its node and Pod IPv6 addresses from its subnet\'s IPv6 range, so the subnet must have the stack type IPV4_IPV6 before the cluster can be created or converted. ' +
      'A subnet whose stack type is IPV4_ONLY, or not set, has no IPv6 range: GKE refuses the dual-stack cluster. The reverse is allowed: an IPv4 cluster may sit on a dual-stack subnet.',
    docs: {
      noFixedExample: 'The fix is a setting of the GKE cluster or its VPC subnet in Google Cloud, outside the Kubernetes manifests.',
      notes: 'Cross-object: evaluated for each dual-stack cluster whose subnet (by name; by region too when several share it) is in the input, in any form: Config Connector, `gcloud ... describe` and `terraform show -json` through `--gcp`. A cluster whose subnet is not in the input is not evaluated. The exact API error text was not found (verify). Sources: VPC-native clusters, dual-stack (https://cloud.google.com/kubernetes-engine/docs/concepts/alias-ips), Compute REST Subnetwork.stackType (https://cloud.google.com/compute/docs/reference/rest/v1/subnetworks), kubernetes/cloud-provider-gcp PR #650 (an IPv4 cluster on a dual-stack subnet).',
    },
    fix: { summary: 'Convert the subnet to IPV4_IPV6 with the IPv6 access type it needs (EXTERNAL or INTERNAL) before making the cluster dual-stack.' },
    messages: {
      ipv4Subnet: '{label} is dual-stack but its subnet {subnet} has stack type {stack}, so it has no IPv6 range and GKE refuses the cluster; set the subnet\'s {field} to IPV4_IPV6 first',
    },
    references: ['https://cloud.google.com/kubernetes-engine/docs/concepts/alias-ips', 'https://cloud.google.com/compute/docs/reference/rest/v1/subnetworks'],
  },
  *targets({ model }) {
    for (const c of model.gcp.clusters) {
      if (c.stackType.value !== 'IPV4_IPV6') continue;
      const subnet = subnetOf(model.gcp, c);
      if (subnet && !subnet.stackType.unknown) yield { ...gcpTarget(c), subnet };
    }
  },
  *check({ obj: c, subnet }): Generator<RuleReport> {
    if (subnetHasIPv6(subnet)) return;
    yield {
      messageId: 'ipv4Subnet', path: c.subnetwork.path,
      data: { label: c.label, subnet: subnet.label, stack: subnet.stackType.value ?? 'unset (IPV4_ONLY)', field: fieldName(subnet.form, 'subnetStackType') },
    };
  },
});
