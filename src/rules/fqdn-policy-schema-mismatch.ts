import { defineRule, type RuleReport } from './types.ts';
import { policyTarget, type PolicyTarget } from './helpers-policy.ts';
import { AAAA_LOOKUPS_ANNOTATION, type FqdnPolicy } from '../model/policies.ts';

export default defineRule<PolicyTarget<FqdnPolicy>>({
  meta: {
    id: 'fqdn-policy-schema-mismatch',
    title: 'FQDNNetworkPolicies written in the other controller\'s schema',
    category: 'policy',
    severity: 'medium',
    scope: ['FQDNNetworkPolicy'],
    rationale:
      'Two controllers share the kind FQDNNetworkPolicy with different schemas. The managed GKE product is networking.gke.io/v1alpha1 with egress[].matches[] (name or pattern), egress only, resolving A and AAAA through cluster DNS. ' +
      'The archived open-source controller is networking.gke.io/v1alpha3 with egress[].to[].fqdns[] and ingress[].from[].fqdns[], and an aaaa-lookups annotation. ' +
      'Fields of the other schema are not what the installed controller reads, so the names the author meant to allow (over IPv4 and IPv6) are not allowed, while the selected pods stay isolated.',
    docs: {
      noFixedExample: 'The policy must be rewritten in the other controller\'s schema, not patched field by field.',
      notes: 'Tells the schemas apart by apiVersion, as.2 requires. How the managed CRD treats unknown fields (pruned or rejected) is not documented and is (verify); either way the names are not allowed. Other apiVersions of the kind are reported as unknown (low).',
    },
    fix: { summary: 'Write the policy in the schema of the controller that is installed: matches[] under networking.gke.io/v1alpha1 (managed GKE), to[].fqdns under v1alpha3 (open-source controller).', byMessage: { annotationOnManaged: 'Remove the annotation.', unknownVersion: 'Check which controller serves {apiVersion}.' } },
    messages: {
      ossOnManaged: 'This field belongs to the open-source v1alpha3 schema, but v1alpha1 is managed GKE\'s, so these names are allowed over neither family (verify)',
      managedOnOss: 'matches[] belongs to the managed v1alpha1 schema, but v1alpha3 is the open-source controller\'s, so these names are allowed over neither family',
      annotationOnManaged: 'The aaaa-lookups annotation affects only the open-source controller (v1alpha3); managed GKE (v1alpha1) ignores it and allows A and AAAA answers',
      unknownVersion: 'apiVersion {apiVersion} is neither the managed GKE schema (v1alpha1) nor the open-source one (v1alpha3), so its IPv6 handling is unknown (verify)',
    },
    references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/fqdn-network-policies', 'https://github.com/GoogleCloudPlatform/gke-fqdnnetworkpolicies-golang/blob/master/api/v1alpha3'],
  },
  *targets({ model }) {
    for (const p of model.policies.fqdn) yield policyTarget(p);
  },
  *check({ policy: p }): Generator<RuleReport> {
    if (p.schema === 'managed') {
      const f = p.ossFields[0];
      if (f) yield { messageId: 'ossOnManaged', path: f };
      if (p.aaaaLookups !== undefined) {
        yield { messageId: 'annotationOnManaged', path: ['metadata', 'annotations', AAAA_LOOKUPS_ANNOTATION], severity: 'low' };
      }
    } else if (p.schema === 'oss') {
      const f = p.managedFields[0];
      if (f) yield { messageId: 'managedOnOss', path: f };
    } else {
      yield { messageId: 'unknownVersion', path: ['apiVersion'], severity: 'low', data: { apiVersion: p.ref.apiVersion } };
    }
  },
});
