import { defineRule, type RuleReport } from './types.ts';
import { familyList, serviceTarget, type ServiceTarget } from './helpers.ts';
import { parseIP } from '../emulate/ip.ts';
import type { Family } from '../model/types.ts';

export default defineRule<ServiceTarget>({
  meta: {
    id: 'service-external-ips-family',
    needsValue: true,
    title: 'externalIPs that do not match the Service\'s families',
    category: 'services',
    severity: 'low',
    scope: ['Service'],
    rationale:
      'kube-proxy runs one proxier per family, and each programs only the Services that have a cluster IP of its family. ' +
      'An externalIP of a family the Service does not have is therefore never programmed, and a dual-stack Service whose externalIPs ' +
      'are all of one family is reachable on that family only through them.',
    docs: {
      noFixedExample: 'The external IP of the other family is an address only the site can assign.',
      notes: 'Special addresses (unspecified, loopback, link-local) in externalIPs are rejected by the apiserver and reported by service-ip-config-rejected. An externalIP of a family the Service lacks is medium; a dual-stack Service with externalIPs of one family is low.',
    },
    fix: { summary: 'List one external IP per family the Service has, or make the Service dual-stack (ipFamilyPolicy: PreferDualStack).' },
    messages: {
      foreign: 'externalIP {ip} is {family} but the Service is {families}, so kube-proxy never programs it',
      oneFamily: 'externalIPs are all {present} on a {families} Service, so {missing} clients cannot use them',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/proxy/service.go'],
  },
  *targets({ model }) {
    for (const svc of model.services) {
      if (svc.externalIPs.length > 0 && svc.effective) yield serviceTarget(svc);
    }
  },
  *check({ svc }): Generator<RuleReport> {
    const families = svc.effective!.ipFamilies;
    const present = new Set<Family>();
    let i = 0;
    for (const ip of svc.externalIPs) {
      const p = parseIP(ip);
      if (p) {
        present.add(p.family);
        if (!families.includes(p.family)) {
          yield { messageId: 'foreign', severity: 'medium', path: ['spec', 'externalIPs', i], data: { ip, family: p.family, families: familyList(families) } };
        }
      }
      i++;
    }
    if (families.length === 2 && present.size === 1) {
      const only = [...present][0]!;
      if (families.includes(only)) {
        yield {
          messageId: 'oneFamily', path: ['spec', 'externalIPs'],
          data: { present: only, families: familyList(families), missing: families.find((f) => f !== only)! },
        };
      }
    }
  },
});
