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
      notes: 'Tells the schemas apart by apiVersion, as SEMANTICS.md e.2 requires. How the managed CRD treats unknown fields (pruned or rejected) is not documented and is (verify); either way the names are not allowed. Other apiVersions of the kind are reported as unknown (low).',
    },
    fix: { summary: 'Write the policy in the schema of the controller that is installed: matches[] under networking.gke.io/v1alpha1 (managed GKE), to[].fqdns under v1alpha3 (open-source controller).' },
    messages: {
      ossOnManaged: 'networking.gke.io/v1alpha1 is the managed GKE schema, which reads egress[].matches[]; this field belongs to the open-source v1alpha3 schema, so these names are not allowed over IPv4 or IPv6 (verify how the managed CRD drops it); rewrite it as matches[] or use apiVersion v1alpha3 if the open-source controller is installed',
      managedOnOss: 'networking.gke.io/v1alpha3 is the open-source controller\'s schema, which reads egress[].to[].fqdns; matches[] belongs to the managed v1alpha1 schema and is ignored, so these names are not allowed; rewrite it as to[].fqdns or use apiVersion v1alpha1 on GKE',
      annotationOnManaged: 'The aaaa-lookups annotation only affects the open-source controller (v1alpha3); the managed GKE product (v1alpha1) ignores it and allows the A and AAAA answers of cluster DNS; remove it',
      unknownVersion: 'apiVersion {apiVersion} is neither the managed GKE schema (networking.gke.io/v1alpha1) nor the open-source controller\'s (v1alpha3) (verify which controller serves it)',
    },
    references: ['SEMANTICS.md e.2', 'https://cloud.google.com/kubernetes-engine/docs/how-to/fqdn-network-policies', 'fqdn-oss:api/v1alpha3'],
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
