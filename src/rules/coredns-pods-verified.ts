import { defineRule, type RuleReport } from './types.ts';
import { at, corefileTargets, type CorefileTarget } from './helpers-coredns.ts';
import { subDirective } from '../emulate/corefile.ts';

export default defineRule<CorefileTarget>({
  meta: {
    id: 'coredns-pods-verified',
    title: 'CoreDNS pods verified serves pod records of the primary family only',
    category: 'dns',
    severity: 'low',
    scope: ['ConfigMap', 'Corefile'],
    rationale:
      'With pods verified the kubernetes plugin answers a-b-c-d.namespace.pod names only for addresses it has indexed, and it indexes status.podIP, the primary address, not status.podIPs. ' +
      'In a dual-stack cluster the pod record of the secondary family (the IPv6 one on an IPv4-primary cluster) is never served, so software that builds pod DNS names from its IPv6 address cannot resolve them.',
    docs: {
      noFixedExample: 'Whether clients should move to Service names or pods should become insecure is the user\'s decision.',
      notes: 'Only on a dual-stack target cluster. pods insecure echoes any dashed address of either family; pods disabled (the plugin default) serves none, which is no family gap. Prefer Service or headless Service names over pod records. Sources: coredns plugin/kubernetes/object/pod.go (stores PodIP only), kubeadm Corefile template.',
    },
    fix: { summary: 'Use Service or headless Service names instead of pod records, or switch to pods insecure if pod records must work in both families.' },
    messages: {
      verified: 'pods verified indexes only the primary pod IP, so on this {families} cluster pod records of the {secondary} address are never served',
    },
    references: ['https://github.com/kubernetes/dns/blob/master/docs/specification.md', 'https://github.com/coredns/coredns/blob/master/plugin/kubernetes', 'https://github.com/coredns/coredns/blob/master/plugin/backend_lookup.go', 'https://github.com/coredns/coredns/blob/master/plugin/kubernetes/object/pod.go', 'https://github.com/coredns/coredns/blob/master/plugin/kubernetes/README.md', 'https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/phases/addons/dns/manifests.go'],
  },
  *targets({ model }) {
    if (model.clusterFamilies.families.length < 2) return;
    yield* corefileTargets(model);
  },
  *check({ cf }, { model }): Generator<RuleReport> {
    const fams = model.clusterFamilies.families;
    for (const b of cf.corefile.blocks) {
      for (const d of b.directives) {
        if (d.name !== 'kubernetes') continue;
        const pods = subDirective(d, 'pods');
        if (pods?.args[0]?.toLowerCase() !== 'verified') continue;
        yield at(cf, pods.line, 'verified', { families: fams.join('/'), secondary: fams[1]! });
      }
    }
  },
});
