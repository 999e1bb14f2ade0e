import { defineRule, type RuleReport } from './types.ts';
import { gcpTarget, type GcpTarget } from './helpers-gcp.ts';
import { allPolicies } from './helpers-cluster.ts';
import { subnetOf, type GcpCluster, type GcpSubnet } from '../model/gcp.ts';
import { formatRef } from '../model/types.ts';

interface T extends GcpTarget<GcpCluster> {
  readonly subnet: GcpSubnet;
}

export default defineRule<T>({
  meta: {
    id: 'gke-subnet-external-ipv6-exposure',
    title: 'Dual-stack GKE cluster on an external (GUA) IPv6 subnet: nodes and Pods are internet-routable',
    category: 'addressing',
    severity: 'medium',
    scope: ['ContainerCluster'],
    rationale:
      'On a subnet with the IPv6 access type EXTERNAL, a dual-stack cluster\'s nodes and Pods get globally unique IPv6 addresses that the internet can reach in both directions, as far as VPC firewall rules and routes allow; there is no NAT in front of them as there is for IPv4. ' +
      'A cluster that was private by address over IPv4 becomes reachable over IPv6 unless firewall rules and ingress NetworkPolicies filter IPv6. An INTERNAL (ULA) subnet keeps IPv6 inside the VPC.',
    docs: {
      noFixedExample: 'The remedy is firewall rules or another subnet access type in Google Cloud, outside the manifests.',
      notes: 'Cross-object: evaluated for each dual-stack cluster whose subnet is in the input (any form; gcloud cluster exports also carry ipAllocationPolicy.ipv6AccessType when GKE created the subnet). Medium when the input has no policy that isolates ingress; info, naming the first such policy, when it has some: whether they cover every namespace over IPv6 is for netpol-ipblock-single-family and ipv6-exposure, and VPC firewall rules are not visible here. An EXTERNAL subnet is required for external IPv6 load balancers (see gke-lb-subnet-ipv6-mismatch), so the fix may be filtering rather than switching. Whether private nodes on an EXTERNAL subnet still get external IPv6 is not known (verify). Sources: Compute REST Subnetwork.ipv6AccessType (https://cloud.google.com/compute/docs/reference/rest/v1/subnetworks), GKE VPC-native dual-stack (https://cloud.google.com/kubernetes-engine/docs/concepts/alias-ips).',
    },
    fix: { summary: 'Filter IPv6 ingress with VPC firewall rules and default-deny ingress NetworkPolicies before turning IPv6 on, or put the cluster on an INTERNAL (ULA) subnet when nothing outside the VPC needs to reach it over IPv6.' },
    messages: {
      exposed: '{label} is dual-stack on the EXTERNAL IPv6 subnet {subnet}: its nodes and Pods get global IPv6 addresses reachable from the internet, and the input has no policy that isolates ingress; filter IPv6 with firewall rules and default-deny ingress NetworkPolicies, or use an INTERNAL subnet',
      covered: '{label} is dual-stack on the EXTERNAL IPv6 subnet {subnet}: its nodes and Pods get global IPv6 addresses reachable from the internet; {count} policy(ies) isolate ingress (first: {policy}): verify that they and the VPC firewall cover IPv6 for every namespace and the nodes',
    },
    references: ['https://cloud.google.com/compute/docs/reference/rest/v1/subnetworks', 'https://cloud.google.com/kubernetes-engine/docs/concepts/alias-ips'],
  },
  *targets({ model }) {
    for (const c of model.gcp.clusters) {
      if (c.stackType.value !== 'IPV4_IPV6') continue;
      const subnet = subnetOf(model.gcp, c);
      if (subnet && !subnet.ipv6AccessType.unknown) yield { ...gcpTarget(c), subnet };
    }
  },
  *check({ obj: c, subnet }, { model }): Generator<RuleReport> {
    if (subnet.ipv6AccessType.value !== 'EXTERNAL') return;
    const isolating = allPolicies(model).filter((p) => p.isolates.includes('ingress'));
    const data = { label: c.label, subnet: subnet.label };
    if (isolating.length === 0) {
      yield { messageId: 'exposed', path: c.subnetwork.path, data };
    } else {
      yield { messageId: 'covered', path: c.subnetwork.path, severity: 'info', data: { ...data, count: isolating.length, policy: formatRef(isolating[0]!.ref) } };
    }
  },
});
