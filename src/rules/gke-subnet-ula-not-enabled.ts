import { defineRule, type RuleReport } from './types.ts';
import { fieldName, gcpTarget, type GcpTarget } from './helpers-gcp.ts';
import { networkNamed, subnetHasIPv6, type GcpNetwork, type GcpSubnet } from '../model/gcp.ts';

interface T extends GcpTarget<GcpSubnet> {
  readonly network: GcpNetwork;
}

export default defineRule<T>({
  meta: {
    id: 'gke-subnet-ula-not-enabled',
    title: 'Internal (ULA) IPv6 subnet on a VPC network without ULA internal IPv6',
    category: 'addressing',
    severity: 'critical',
    scope: ['ComputeSubnetwork'],
    rationale:
      'A subnet with the IPv6 access type INTERNAL takes a ULA /64 out of its VPC network\'s ULA /48, which the network has only when enableUlaInternalIpv6 is true (it then gets a /48 from fd20::/20). ' +
      'On a network without it the subnet has nowhere to take its IPv6 range from, so its creation or conversion to dual-stack fails, and with it the internal IPv6 of every cluster and internal load balancer on it.',
    docs: {
      noFixedExample: 'The fix is a setting of the GKE cluster or its VPC subnet in Google Cloud, outside the Kubernetes manifests.',
      notes: 'Cross-object: evaluated for each INTERNAL subnet whose network (by name) is in the input, in any form (Config Connector, `gcloud compute networks describe` / `subnets describe`, `terraform show -json` through `--gcp`). The exact API error is not known (verify). Sources: Compute REST Network.enableUlaInternalIpv6 and internalIpv6Range (https://cloud.google.com/compute/docs/reference/rest/v1/networks), Subnetwork.ipv6AccessType (https://cloud.google.com/compute/docs/reference/rest/v1/subnetworks), the google provider\'s internal IPv6 subnetwork example (https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_subnetwork).',
    },
    fix: { summary: 'Set enableUlaInternalIpv6: true on the VPC network (optionally choosing its /48 in internalIpv6Range) before creating internal IPv6 subnets on it.' },
    messages: {
      noUla: '{label} has IPv6 access type INTERNAL (ULA) but its network {network} does not enable ULA internal IPv6, so there is no ULA /48 for its IPv6 range and the subnet cannot be dual-stack; set {field}: true on the network',
    },
    references: ['https://cloud.google.com/compute/docs/reference/rest/v1/networks', 'https://cloud.google.com/compute/docs/reference/rest/v1/subnetworks', 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/compute_subnetwork'],
  },
  *targets({ model }) {
    for (const s of model.gcp.subnets) {
      if (s.ipv6AccessType.value !== 'INTERNAL' || !subnetHasIPv6(s)) continue;
      const network = networkNamed(model.gcp, s.network);
      if (network && !network.ulaInternalIpv6.unknown) yield { ...gcpTarget(s), network };
    }
  },
  *check({ obj: s, network }): Generator<RuleReport> {
    if (network.ulaInternalIpv6.value === true) return;
    yield {
      messageId: 'noUla', path: s.ipv6AccessType.path,
      data: { label: s.label, network: network.label, field: fieldName(network.form, 'ula') },
    };
  },
});
