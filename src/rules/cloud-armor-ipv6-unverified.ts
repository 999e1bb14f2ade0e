import { defineRule, type RuleReport, type Target } from './types.ts';
import type { SecurityPolicyRef } from '../model/frontends.ts';
import { formatRef } from '../model/types.ts';

interface ArmorTarget extends Target {
  readonly sp: SecurityPolicyRef;
}

export default defineRule<ArmorTarget>({
  meta: {
    id: 'cloud-armor-ipv6-unverified',
    title: 'Cloud Armor policies in front of dual-stack Services whose IPv6 coverage cannot be seen',
    category: 'policy',
    severity: 'info',
    scope: ['BackendConfig', 'GCPBackendPolicy'],
    rationale:
      'A BackendConfig (spec.securityPolicy.name) or GCPBackendPolicy (spec.default.securityPolicy) only names a Cloud Armor policy; its rules live in Google Cloud. ' +
      'One policy governs the IPv4 and the IPv6 frontends of the backend, and a srcIpRanges CIDR matches only its own family: an IPv4-only allow list with default deny blocks IPv6 clients, ' +
      'and an IPv4-only deny list with default allow lets them through. The auditor cannot read the rules, so it asks to verify them.',
    docs: {
      noFixedExample: 'The policy lives in Google Cloud, outside the manifests, so there is nothing here to patch.',
      notes: 'Reported (info) for a security policy attached to a Service that is dual-stack on the target cluster or will be on a dual-stack one (ipFamilyPolicy PreferDualStack/RequireDualStack, or two ipFamilies), and for one whose Service is not in the input when the target cluster has IPv6. An absent securityPolicy is not proof that no policy exists (one attached by console or gcloud is invisible; ingress-gce treats a nil field as "do not manage"). When the policy itself is in the input (a Config Connector ComputeSecurityPolicy, or a gcloud export given with --cloud-armor) this rule is silent and cloud-armor-ipv4-only-allowlist / cloud-armor-ipv4-only-denylist check its rules instead.',
    },
    fix: { summary: 'Check that the Cloud Armor policy\'s IP rules list the IPv6 ranges next to the IPv4 ones (allow lists and deny lists alike), or manage it as a ComputeSecurityPolicy in the same repository so that it can be audited.' },
    messages: {
      unverified: 'Cloud Armor policy {policy} fronts {services}, dual-stack on the target cluster, and its rules are not in the input, so its IPv6 filtering is unverified',
      unverifiedUnknownService: 'Cloud Armor policy {policy} fronts {services} (not in the input) on a cluster with IPv6, and its IPv6 filtering is unverified',
    },
    references: ['https://github.com/kubernetes/ingress-gce/blob/master/pkg/apis/backendconfig/v1/types.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/backends/features/securitypolicy.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/annotations/service.go'],
  },
  *targets({ model }) {
    for (const sp of model.frontends.securityPolicies) {
      yield { ref: sp.ref, ...(sp.source ? { source: sp.source } : {}), annotations: sp.annotations, sp };
    }
  },
  *check({ sp }, { model }): Generator<RuleReport> {
    // The policy is in the input (Config Connector ComputeSecurityPolicy or a --cloud-armor export): the cloud-armor-ipv4-only-* rules judge its rules.
    if (model.gke.armorPolicies.some((p) => p.policyName === sp.policyName)) return;
    const data = { policy: JSON.stringify(sp.policyName) };
    if (sp.services.length > 0) {
      const dual = model.services.filter((s) => sp.services.some((r) => r.name === s.ref.name && r.namespace === s.ref.namespace))
        .filter((s) => (s.effective?.ipFamilies.includes('IPv6') ?? false) || (s.effectiveWhenDual?.ipFamilies.length ?? 0) === 2);
      if (dual.length === 0) return;
      yield { messageId: 'unverified', path: sp.path, data: { ...data, services: dual.map((s) => formatRef(s.ref)).join(', ') } };
      return;
    }
    if (!model.clusterFamilies.families.includes('IPv6')) return;
    const services = sp.targetName ? `Service ${sp.targetName}` : 'the Services that name this BackendConfig';
    yield { messageId: 'unverifiedUnknownService', path: sp.path, data: { ...data, services } };
  },
});
