import { defineRule, type RuleReport } from './types.ts';
import { factTarget, where, type FactTarget } from './helpers-cluster.ts';
import { ulaGlobalId } from '../model/address-ranges.ts';

export default defineRule<FactTarget>({
  meta: {
    id: 'ula-low-entropy-global-id',
    title: 'Unique local ranges without a random Global ID',
    category: 'addressing',
    severity: 'low',
    scope: ['ClusterConfiguration', 'Cluster', 'ConfigMap', 'ServiceCIDR', 'IPPool', 'IPAddressPool', 'Node', 'CiliumLoadBalancerIPPool'],
    rationale:
      'RFC 4193 makes unique local addresses unique by a 40-bit pseudo-random Global ID after fd: every site picks its own fdXX:XXXX:XXXX::/48. ' +
      'Ranges such as fd00::/48, fd00:10:244::/56 (kind\'s default) or fdff::/64 are what everyone else picks too, so they collide as soon as two clusters, a VPN or a merger connect their networks, and renumbering IPv6 later is expensive. ' +
      'fc00::/8 (L bit 0) has no assignment procedure defined at all.',
    docs: {
      noFixedExample: 'The random Global ID must be generated once for the whole site, not per manifest.',
      notes: 'A Global ID is called low-entropy when five or more of its ten hex digits are 0, when it uses three distinct digits or fewer, or when it repeats one pattern; a random ID trips this about once in ten thousand. Defaults of kind are included (they are what the cluster gets when the field is unset). Calico generates a random /48 when no IPv6 pool is given. Sources: RFC 4193 section 3.2.',
    },
    fix: { summary: 'Generate a random Global ID once per organisation or site (RFC 4193 section 3.2.2, e.g. from `openssl rand -hex 5`) and carve the cluster ranges from that /48.' },
    messages: {
      lowEntropy: '{what} {cidr}: non-random ULA Global ID ({reason}), likely shared by other networks',
      notLocal: '{what} {cidr} is in fc00::/8, the ULA half that RFC 4193 leaves undefined',
    },
    references: ['https://www.iana.org/assignments/iana-ipv6-special-registry', 'https://www.rfc-editor.org/rfc/rfc6724#section-2.1', 'https://github.com/kubernetes-sigs/kind/blob/main/pkg/apis/config/v1alpha4/default.go', 'https://www.rfc-editor.org/rfc/rfc4193#section-3.2'],
  },
  *targets({ model }) {
    for (const f of model.clusterConfig.cidrs) if (f.cidr && ulaGlobalId(f.cidr)) yield factTarget(f);
  },
  *check({ fact }): Generator<RuleReport> {
    const g = ulaGlobalId(fact.cidr!)!;
    const what = where(fact.site);
    if (!g.local) {
      yield { messageId: 'notLocal', path: fact.site.path, data: { what, cidr: fact.text } };
    } else if (g.lowEntropy) {
      const id = `${g.hex.slice(0, 2)}:${g.hex.slice(2, 6)}:${g.hex.slice(6)}`;
      yield { messageId: 'lowEntropy', path: fact.site.path, data: { what, cidr: fact.text, id, reason: g.reason ?? '' } };
    }
  },
});
