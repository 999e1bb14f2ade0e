import { defineRule, type RuleReport } from './types.ts';
import { familyList, fqdn, serviceTarget, type ServiceTarget } from './helpers.ts';

export default defineRule<ServiceTarget>({
  meta: {
    id: 'dns-aaaa-coverage',
    title: 'Services that cluster DNS will not answer AAAA for',
    category: 'dns',
    severity: 'medium',
    scope: ['Service'],
    rationale:
      'Cluster DNS builds a Service\'s records from its cluster IPs (headless: from its endpoints): an A record per IPv4 address and an AAAA record per IPv6 address. ' +
      'A Service without an IPv6 family answers AAAA queries with an empty NOERROR, so an IPv6-only or IPv6-preferring client cannot resolve it ' +
      'and falls back to IPv4 or fails. This is the DNS view of the Service\'s effective families on the target cluster.',
    docs: {
      bad: `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: {app: api}
  ports: [{port: 8080}]`,
      good: `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  ipFamilyPolicy: PreferDualStack
  selector: {app: api}
  ports: [{port: 8080}]`,
      notes: 'The report\'s dns section gives the coverage (Services with an AAAA record over Services that get A or AAAA records; ExternalName Services are CNAMEs and counted apart). Headless Services are assumed to get records in each of their families; a live audit checks their EndpointSlices. Sources: kube-dns specification, CoreDNS kubernetes plugin (SEMANTICS.md d.1, d.2).',
    },
    fix: { summary: 'Make the Service dual-stack with ipFamilyPolicy: PreferDualStack; cluster DNS then serves an AAAA record for it.' },
    messages: {
      noAAAA: '{fqdn} has no AAAA record: the Service is {policy} {families} on the target cluster, so IPv6 clients cannot resolve it; set ipFamilyPolicy: PreferDualStack',
    },
    references: ['SEMANTICS.md d.1', 'SEMANTICS.md d.2', 'kdns:docs/specification.md'],
  },
  *targets({ model }) {
    for (const svc of model.services) {
      if (svc.type !== 'ExternalName' && svc.effective) yield serviceTarget(svc);
    }
  },
  *check({ svc }): Generator<RuleReport> {
    if (svc.dns.AAAA) return;
    yield {
      messageId: 'noAAAA', path: ['spec'],
      data: { fqdn: fqdn(svc), policy: svc.effective!.ipFamilyPolicy, families: familyList(svc.effective!.ipFamilies) },
    };
  },
});
