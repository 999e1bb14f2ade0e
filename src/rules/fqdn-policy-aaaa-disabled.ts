import { defineRule, type RuleReport } from './types.ts';
import { policyTarget, selectedText, type PolicyTarget } from './helpers-policy.ts';
import { AAAA_LOOKUPS_ANNOTATION, type FqdnPolicy } from '../model/policies.ts';

export default defineRule<PolicyTarget<FqdnPolicy>>({
  meta: {
    id: 'fqdn-policy-aaaa-disabled',
    fixable: 'suggestion',
    title: 'FQDNNetworkPolicies that skip AAAA lookups',
    category: 'policy',
    severity: 'high',
    scope: ['FQDNNetworkPolicy'],
    rationale:
      'The open-source FQDNNetworkPolicy controller (networking.gke.io/v1alpha3) resolves each name and writes a NetworkPolicy with a /32 ipBlock per A record and a /128 per AAAA record. ' +
      'The annotation fqdnnetworkpolicies.networking.gke.io/aaaa-lookups: "skip" turns the AAAA lookups off, so the generated policy holds IPv4 blocks only: ' +
      'the selected pods are isolated and every IPv6 connection to those names is denied on a dual-stack cluster.',
    docs: {
      notes: 'The annotation is read by the open-source controller (fqdn-oss:controllers/fqdnnetworkpolicy_controller.go, aaaaLookupsAnnotation) only when its value is exactly "skip"; the controller also has a global SkipAAAA setting that manifests do not show. The managed GKE product (v1alpha1) ignores the annotation; fqdn-policy-schema-mismatch reports it there.',
    },
    fix: { summary: 'Remove the aaaa-lookups annotation so that the controller also allows the IPv6 addresses of the names.' },
    messages: {
      skipped: 'aaaa-lookups: "skip" allows only the A (IPv4) addresses of these names, so {pods} cannot reach them over IPv6',
    },
    references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/fqdn-network-policies', 'https://github.com/GoogleCloudPlatform/gke-fqdnnetworkpolicies-golang/blob/master/README.md', 'https://github.com/GoogleCloudPlatform/gke-fqdnnetworkpolicies-golang/blob/master/controllers/fqdnnetworkpolicy_controller.go'],
  },
  *targets({ model }) {
    for (const p of model.policies.fqdn) yield policyTarget(p);
  },
  *check({ policy: p }): Generator<RuleReport> {
    if (p.aaaaLookups !== 'skip' || p.schema === 'managed') return;
    yield {
      messageId: 'skipped', path: ['metadata', 'annotations', AAAA_LOOKUPS_ANNOTATION],
      data: { pods: selectedText(p) },
      suggest: [{ op: 'remove', path: `/metadata/annotations/${AAAA_LOOKUPS_ANNOTATION.replace(/~/g, '~0').replace(/\//g, '~1')}` }],
    };
  },
});
