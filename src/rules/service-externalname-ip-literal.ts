import { defineRule, type RuleReport } from './types.ts';
import { fqdn, serviceTarget, type ServiceTarget } from './helpers.ts';
import { parseIP } from '../emulate/ip.ts';

export default defineRule<ServiceTarget>({
  meta: {
    id: 'service-externalname-ip-literal',
    title: 'ExternalName Services that point at an IP address',
    category: 'dns',
    severity: 'medium',
    scope: ['Service'],
    rationale:
      'An ExternalName Service is a CNAME: cluster DNS answers <name>.<namespace>.svc with the externalName as a DNS name and never reads it as an address. ' +
      'An IPv4-looking value such as 1.2.3.4 passes validation as a name made of digits, so the Service is accepted but the CNAME target does not resolve: ' +
      'neither IPv4 nor IPv6 clients reach anything. An IPv6 literal is not a valid DNS name and the apiserver rejects the Service.',
    docs: {
      noFixedExample: 'Replacing the Service by a selectorless one with EndpointSlices changes its type and adds objects, a choice left to the user.',
      notes: 'To reach fixed addresses, use a selectorless (headless) Service with EndpointSlices of each family, or an ExternalName pointing at a DNS name that has A and AAAA records. Sources: the ExternalName note of the Service concept page, apiserver Service validation.',
    },
    fix: { summary: 'Point externalName at a DNS name, or replace the ExternalName Service by a selectorless Service with EndpointSlices for each address family.' },
    messages: {
      ipv4: '{fqdn} has externalName {value}, an IPv4 address, which cluster DNS serves as a CNAME to a name of digits that resolves to nothing',
      ipv6: '{fqdn} has externalName {value}, an IPv6 address, which is not a DNS name, so the apiserver rejects the Service',
    },
    references: ['https://github.com/coredns/coredns/blob/master/plugin/kubernetes', 'https://github.com/coredns/coredns/blob/master/plugin/kubernetes/object/service.go', 'https://github.com/coredns/coredns/blob/master/plugin/backend_lookup.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/service.md', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go'],
  },
  *targets({ model }) {
    for (const svc of model.services) if (svc.type === 'ExternalName' && svc.externalName !== undefined) yield serviceTarget(svc);
  },
  *check({ svc }): Generator<RuleReport> {
    const value = svc.externalName!.trim().replace(/\.$/, '');
    const ip = parseIP(value);
    if (!ip) return;
    yield {
      messageId: ip.family === 'IPv4' ? 'ipv4' : 'ipv6', path: ['spec', 'externalName'],
      data: { fqdn: fqdn(svc), value: svc.externalName! },
      ...(ip.family === 'IPv6' ? { severity: 'critical' as const } : {}),
    };
  },
});
