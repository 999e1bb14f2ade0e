import { defineRule, type RuleReport } from './types.ts';
import { allPolicies, factTarget, where, ROLE_NAME, type FactTarget } from './helpers-cluster.ts';
import { cidrContains, parseCIDR } from '../emulate/ip.ts';
import { classifyCIDR } from '../model/address-ranges.ts';

/** GKE hands IPv6 ClusterIPs out of this Google-owned range; it is cluster-internal. */
const GKE_SERVICE_RANGE = parseCIDR('2600:2d00:0:4::/64')!;

export default defineRule<FactTarget>({
  meta: {
    id: 'ipv6-exposure',
    title: 'Whether pod, node and Service IPv6 ranges are globally routable or unique local',
    category: 'addressing',
    severity: 'medium',
    scope: ['ClusterConfiguration', 'Cluster', 'ConfigMap', 'ServiceCIDR', 'IPPool', 'IPAddressPool', 'Node', 'CiliumLoadBalancerIPPool'],
    rationale:
      'With IPv4, pods usually hide behind NAT; with global unicast (GUA) IPv6 ranges every pod and node address is reachable from the internet unless a firewall or NetworkPolicy stops it, so the perimeter moves to policy. ' +
      'Unique local (ULA) ranges are private, but RFC 6724 ranks fc00::/7 below IPv4, so clients that have both an A and an AAAA answer prefer IPv4 over a ULA destination and the IPv6 path stays mostly unused. ' +
      'GKE\'s 2600:2d00:0:4::/64 Service range looks global but is cluster-internal.',
    docs: {
      noFixedExample: 'The remedy is policies and firewall rules, or another address plan, not an edit of the range.',
      notes: 'GUA pod and node ranges are medium when the input has no policy that isolates ingress, low (verify) when it has some: whether they cover every namespace and IPv6 is not judged here, and the cloud firewall is not visible offline. ULA pod, Service and load-balancer ranges on a cluster that also has IPv4 get an info note about RFC 6724 address selection. GUA Service and load-balancer ranges are expected and pass, as does GKE\'s 2600:2d00:0:4::/64. Sources: RFC 6724 section 2.1.',
    },
    fix: { summary: 'For GUA pod and node ranges, put default-deny ingress policies and firewall rules in place for IPv6 before enabling it; for ULA ranges, expect clients to prefer IPv4 and use GUA where IPv6 should carry traffic.' },
    messages: {
      gua: '{what} {cidr} is global unicast and no input policy isolates ingress, so every {role} in it is reachable from the internet over IPv6 (verify the firewall)',
      guaPolicies: '{what} {cidr} is global unicast: every {role} in it is reachable from the internet unless the {policies} policy(ies) isolating ingress cover IPv6',
      ulaPreference: '{what} {cidr} is ULA, which RFC 6724 ranks below IPv4, so IPv6 carries little traffic',
    },
    references: ['https://www.iana.org/assignments/iana-ipv6-special-registry', 'https://www.rfc-editor.org/rfc/rfc6724#section-2.1', 'https://github.com/kubernetes-sigs/kind/blob/main/pkg/apis/config/v1alpha4/default.go', 'https://cloud.google.com/dotnet/docs/reference/Google.Cloud.Container.V1/latest/Google.Cloud.Container.V1.StackType', 'https://docs.cloud.google.com/kubernetes-engine/docs/how-to/single-stack-ipv6'],
  },
  *targets({ model }) {
    for (const f of model.clusterConfig.cidrs) if (f.cidr && f.family === 'IPv6') yield factTarget(f);
  },
  *check({ fact }, { model }): Generator<RuleReport> {
    const cidr = fact.cidr!;
    if (cidrContains(GKE_SERVICE_RANGE, cidr)) return;
    const cls = classifyCIDR(cidr).class;
    const data = { what: where(fact.site), cidr: fact.text, role: fact.role === 'node' ? 'node' : fact.role === 'pod' ? 'pod' : ROLE_NAME[fact.role] };
    if (cls === 'gua' && (fact.role === 'pod' || fact.role === 'node')) {
      const isolating = allPolicies(model).filter((p) => p.isolates.includes('ingress')).length;
      if (isolating === 0) yield { messageId: 'gua', path: fact.site.path, data };
      else yield { messageId: 'guaPolicies', path: fact.site.path, severity: 'low', data: { ...data, policies: isolating } };
    } else if (cls === 'ula' && fact.role !== 'node' && model.clusterFamilies.families.includes('IPv4')) {
      yield { messageId: 'ulaPreference', path: fact.site.path, severity: 'info', data };
    }
  },
});
