import { defineRule, type RuleReport } from './types.ts';
import { allPolicies, factTarget, nodeFoldCause, nodeRangeHolders, policyCidrs, policyTarget, serviceAddresses, where, ROLE_NAME, type HeldFactTarget, type PolicyTarget } from './helpers-cluster.ts';
import { serviceTarget, type ServiceTarget } from './helpers.ts';
import { parseIPOrCIDR } from '../emulate/ip.ts';
import { classifyCIDR } from '../model/address-ranges.ts';

type DocTarget =
  | (HeldFactTarget & { readonly svc?: undefined; readonly policy?: undefined })
  | (ServiceTarget & { readonly fact?: undefined; readonly policy?: undefined })
  | (PolicyTarget & { readonly fact?: undefined; readonly svc?: undefined });

export default defineRule<DocTarget>({
  meta: {
    id: 'cidr-documentation-prefix',
    title: 'Documentation address ranges used as real addresses',
    category: 'addressing',
    severity: 'high',
    scope: ['ClusterConfiguration', 'Cluster', 'ConfigMap', 'ServiceCIDR', 'IPPool', 'IPAddressPool', 'Node', 'Service', 'NetworkPolicy', 'CiliumNetworkPolicy', 'GlobalNetworkPolicy'],
    rationale:
      '2001:db8::/32 and 3fff::/20 (and 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 for IPv4) are reserved for documentation and examples. ' +
      'They are never routed, so a pod, Service or load-balancer range copied from a tutorial works inside one cluster at best and breaks as soon as traffic leaves it, or collides with the next copy. ' +
      'IPv6 examples almost always use 2001:db8::, so these ranges show up exactly when a team first enables IPv6.',
    docs: {
      noFixedExample: 'The new range is a decision of the site\'s addressing plan, which the audit cannot make.',
      notes: 'Checks the address plan of the cluster configuration objects (pod, Service, node and load-balancer ranges), high, and the Service fields clusterIP(s), externalIPs, loadBalancerIP and loadBalancerSourceRanges (or its annotation) and the CIDRs of network policies of every engine (ipBlock cidr and except, Cilium toCIDR/toCIDRSet, Calico nets, admin policy networks), medium: there the value is more often a placeholder left from an example and breaks one Service or rule rather than the cluster. Node pod CIDRs and node addresses in one documentation prefix are reported once per role and prefix, on the cluster pod range of the input that holds the pod CIDRs (the one the node IPAM controller splits: kubeadm or kind podSubnet, --cluster-cidr; else kube-proxy clusterCIDR or a CNI pool; the tightest) when it is in the same prefix, else on the first Node, with the number of Nodes (the other Nodes\' evaluations still fail). 3fff::/20 is the second IPv6 documentation prefix (RFC 9637, 2024) that ipaddr.js does not know. Sources: RFC 3849, RFC 9637, RFC 5737.',
    },
    fix: { summary: 'Replace documentation ranges with real ones: a random ULA /48 (RFC 4193) or your GUA allocation for IPv6, RFC 1918 space for IPv4.' },
    messages: {
      config: '{what} uses {cidr}, in the documentation range {within} ({rfc}), which is never routed',
      service: 'Service {field} is {value}, which is in the documentation range {within} ({rfc}) and is never routed',
      policy: 'Policy CIDR {value} is in the documentation range {within} ({rfc}): no real peer has such an address, so the rule matches nothing real',
    },
    references: ['https://www.iana.org/assignments/iana-ipv6-special-registry', 'https://www.rfc-editor.org/rfc/rfc9637', 'https://www.rfc-editor.org/rfc/rfc3849'],
  },
  *targets({ model }) {
    const holders = nodeRangeHolders(model);
    for (const f of model.clusterConfig.cidrs) {
      if (!f.cidr) continue;
      const holder = holders.get(f);
      yield { ...factTarget(f), ...(holder ? { holder } : {}), svc: undefined, policy: undefined };
    }
    for (const svc of model.services) if (serviceAddresses(svc).length > 0) yield { ...serviceTarget(svc), fact: undefined, policy: undefined };
    for (const policy of allPolicies(model)) if (policyCidrs(policy).length > 0) yield { ...policyTarget(policy), fact: undefined, svc: undefined };
  },
  *check(t): Generator<RuleReport> {
    if (t.fact) {
      const c = classifyCIDR(t.fact.cidr!);
      if (c.class !== 'documentation') return;
      // The cause is the prefix: Node pod CIDRs carved from one cluster range, and the addresses of
      // one node network, are in the same one; they are one finding (engine/fold.ts).
      const held = t.holder && classifyCIDR(t.holder.cidr!);
      yield {
        messageId: 'config', path: t.fact.site.path, data: { what: `${where(t.fact.site)} (${ROLE_NAME[t.fact.role]})`, cidr: t.fact.text, within: c.within ?? '', rfc: c.rfc ?? '' },
        sameCause: nodeFoldCause(t.fact, c.within ?? '', t.holder, held?.class === 'documentation' ? held.within ?? '' : undefined),
      };
      return;
    }
    if (t.policy) {
      for (const v of policyCidrs(t.policy)) {
        const c = v.cidr && classifyCIDR(v.cidr);
        if (c?.class === 'documentation') yield { messageId: 'policy', path: v.path, severity: 'medium', data: { value: v.text, within: c.within ?? '', rfc: c.rfc ?? '' } };
      }
      return;
    }
    for (const a of serviceAddresses(t.svc)) {
      const p = parseIPOrCIDR(a.text.trim());
      if (!p) continue;
      const c = classifyCIDR(p);
      if (c.class === 'documentation') yield { messageId: 'service', path: a.path, severity: 'medium', data: { field: a.field, value: a.text, within: c.within ?? '', rfc: c.rfc ?? '' } };
    }
  },
});
