import { defineRule, type RuleReport } from './types.ts';
import { factTarget, siteTarget, where, type FactTarget, type SiteTarget } from './helpers-cluster.ts';
import { classifyCIDR } from '../model/address-ranges.ts';
import type { CniSetting } from '../model/cluster-config.ts';

type PoolTarget = (FactTarget & { readonly generated?: undefined }) | (SiteTarget & { readonly fact?: undefined; readonly generated: CniSetting });

export default defineRule<PoolTarget>({
  meta: {
    id: 'calico-ipv6-pool-no-nat',
    title: 'Calico IPv6 ULA pools without outgoing NAT',
    category: 'cluster',
    severity: 'medium',
    scope: ['IPPool', 'Installation', 'DaemonSet'],
    rationale:
      'A pod address from a unique local (fc00::/7) pool is not routable on the internet. Without natOutgoing the pod\'s IPv6 packets leave the node with the ULA source and get no answer, ' +
      'so every IPv6 egress connection fails and dual-stack clients fall back to IPv4 only after a timeout. ' +
      'Calico\'s IPPool defaults natOutgoing to false, and so do the IPv6 pool calico-node creates from CALICO_IPV6POOL_CIDR and the random ULA pool it generates when no CIDR is given.',
    docs: {
      noFixedExample: 'NAT for the ULA pool or a routed GUA pool is a routing decision of the site.',
      notes: 'Pools that are disabled or only for LoadBalancer addresses are out of scope, and so are GUA pools (they route without NAT). Operator Installation pools default natOutgoing to Enabled. Sources: calico:node/pkg/lifecycle/startup/startup.go.',
    },
    fix: { summary: 'Set natOutgoing: true on the IPv6 ULA pool (CALICO_IPV6POOL_NAT_OUTGOING="true" for the pool calico-node creates), or use a routed GUA pool.' },
    messages: {
      pool: '{what} {cidr} is a unique local range with natOutgoing off, so pods have no IPv6 egress beyond the cluster',
      env: '{what} {cidr} is a unique local range and CALICO_IPV6POOL_NAT_OUTGOING is not "true", so pods have no IPv6 egress beyond the cluster',
      generated: '{what} turns IPv6 on without CALICO_IPV6POOL_CIDR: the generated ULA pool has no NAT, so pods have no IPv6 egress',
    },
    references: ['https://github.com/projectcalico/calico/blob/master/api/pkg/apis/projectcalico/v3/ippool.go', 'https://github.com/projectcalico/calico/blob/master/node/pkg/lifecycle/startup/startup.go'],
  },
  *targets({ model }) {
    for (const f of model.clusterConfig.cidrs) {
      if (f.component === 'calico' && f.role === 'pod' && f.family === 'IPv6' && !f.disabled) yield { ...factTarget(f), generated: undefined };
    }
    for (const c of model.clusterConfig.cni) {
      if (c.generatedIPv6Pool) yield siteTarget(c.site, { generated: c, fact: undefined });
    }
  },
  *check(t): Generator<RuleReport> {
    if (t.generated) {
      if (!t.generated.generatedIPv6Pool!.natOutgoing) yield { messageId: 'generated', path: t.site.path, data: { what: where(t.site) } };
      return;
    }
    const f = t.fact;
    if (!f.cidr || f.natOutgoing || classifyCIDR(f.cidr).class !== 'ula') return;
    const env = f.site.field.startsWith('env ');
    yield { messageId: env ? 'env' : 'pool', path: f.site.path, data: { what: where(f.site), cidr: f.text } };
  },
});
