import { defineRule, type RuleReport } from './types.ts';
import { familyList, fqdn, isApiserverService, serviceTarget, type ServiceTarget } from './helpers.ts';

export default defineRule<ServiceTarget>({
  meta: {
    id: 'dns-aaaa-coverage',
    title: 'Services that cluster DNS will not answer AAAA for',
    category: 'dns',
    severity: 'medium',
    scope: ['Service'],
    foldsInto: [{ rule: 'service-single-stack' }, { rule: 'service-prefer-dual-stack-stale' }],
    rationale:
      'Cluster DNS builds a Service\'s records from its cluster IPs (headless: from its endpoints): an A record per IPv4 address and an AAAA record per IPv6 address. ' +
      'A Service without an IPv6 family answers AAAA queries with an empty NOERROR, so an IPv6-only or IPv6-preferring client cannot resolve it ' +
      'and falls back to IPv4 or fails. This is the DNS view of the Service\'s effective families on the target cluster.',
    docs: {
      noFixedExample: 'The same change (ipFamilyPolicy: PreferDualStack) is the patch of service-single-stack; this rule measures the names left without AAAA.',
      notes: 'The report\'s dns section gives the coverage (Services with an AAAA record over Services that get A or AAAA records; ExternalName Services are CNAMEs and counted apart). Headless Services get one record per endpoint: when the input holds their EndpointSlices (or, without slices, Pods with status IPs that the selector matches), those decide whether an AAAA record exists; otherwise each family of the Service is assumed to have endpoints. Sources: kube-dns specification, CoreDNS kubernetes plugin.',
    },
    fix: { summary: 'Make the Service dual-stack with ipFamilyPolicy: PreferDualStack; cluster DNS then serves an AAAA record for it.', byMessage: { clusterSingle: 'Make the cluster dual-stack, then set this Service\'s ipFamilyPolicy to RequireDualStack (existing PreferDualStack Services are not upgraded).', clusterSingleUnset: 'Make the cluster dual-stack first; until then no Service gets IPv6.', preferStaysSingle: 'Set ipFamilyPolicy: RequireDualStack or list both families in ipFamilies.', headlessNoEndpoints: 'Check the selector and the pods.', headlessNoIPv6Endpoints: 'Give the selected pods IPv6 addresses (dual-stack pod network).' } },
    messages: {
      noAAAA: '{fqdn} has no AAAA record: the Service is {policy} {families} on the target cluster, so IPv6 clients cannot resolve it',
      clusterSingle: '{fqdn} has no AAAA record: the target cluster has only {families} Service addresses, so even PreferDualStack gets one family',
      clusterSingleUnset: '{fqdn} has no AAAA record and cannot get one yet: the target cluster has only {families} Service addresses',
      preferStaysSingle: '{fqdn} has no AAAA record: the Service is PreferDualStack but got only {families} and is never upgraded, so IPv6 clients cannot resolve it',
      headlessNoEndpoints: '{fqdn} is headless and its {from} in the input list no ready endpoint, so cluster DNS answers NXDOMAIN for it in both families',
      headlessNoIPv6Endpoints: '{fqdn} is headless and {families}, but none of its {count} endpoints ({from}) has an IPv6 address, so it gets no AAAA record',
    },
    references: ['https://github.com/kubernetes/dns/blob/master/docs/specification.md', 'https://github.com/coredns/coredns/blob/master/plugin/kubernetes', 'https://github.com/coredns/coredns/blob/master/plugin/kubernetes/object/service.go', 'https://github.com/coredns/coredns/blob/master/plugin/backend_lookup.go'],
  },
  *targets({ model }) {
    for (const svc of model.services) {
      if (svc.type !== 'ExternalName' && svc.effective && !isApiserverService(svc)) yield serviceTarget(svc);
    }
  },
  *check({ svc }, { model }): Generator<RuleReport> {
    if (svc.dns.AAAA) return;
    const h = model.headlessDns.get(`${svc.ref.namespace ?? 'default'}/${svc.ref.name}`);
    if (h && h.endpoints === 0) {
      yield { messageId: 'headlessNoEndpoints', path: ['spec'], severity: 'low', data: { fqdn: fqdn(svc), from: h.from === 'EndpointSlice' ? 'EndpointSlices' : 'Pods' } };
      return;
    }
    if (h && svc.effective!.ipFamilies.includes('IPv6')) {
      yield {
        messageId: 'headlessNoIPv6Endpoints', path: ['spec'],
        data: { fqdn: fqdn(svc), families: familyList(svc.effective!.ipFamilies), count: h.endpoints, from: h.from === 'EndpointSlice' ? 'EndpointSlices' : 'Pods' },
      };
      return;
    }
    const prefer = svc.effective!.ipFamilyPolicy === 'PreferDualStack';
    const clusterSingle = model.clusterFamilies.families.length < 2;
    yield {
      // On a single-stack target no policy gives a Service IPv6: the advice is the cluster's conversion (issue 18).
      messageId: prefer ? (clusterSingle ? 'clusterSingle' : 'preferStaysSingle') : clusterSingle ? 'clusterSingleUnset' : 'noAAAA', path: prefer ? ['spec', 'ipFamilyPolicy'] : ['spec'],
      data: { fqdn: fqdn(svc), policy: svc.effective!.ipFamilyPolicy, families: familyList(svc.effective!.ipFamilies) },
    };
  },
});
