import { defineRule, type RuleReport } from './types.ts';
import { familyList, serviceTarget, type ServiceTarget } from './helpers.ts';

// Hints per apiserver error detail: what to change, in a platform engineer's words.
function hintFor(detail: string): string {
  if (detail.includes('when multiple IP families are specified') || detail.includes('when multiple cluster IPs are specified')) {
    return 'set ipFamilyPolicy: PreferDualStack (or RequireDualStack); without a policy the apiserver defaults to SingleStack';
  }
  if (detail.includes('not configured for dual-stack services')) return 'use PreferDualStack, or give the cluster a second --service-cluster-ip-range';
  if (detail.includes('not configured on this cluster')) return 'remove that family (or IP), or enable it in the cluster\'s Service CIDRs';
  if (detail.includes('ExternalName')) return 'delete clusterIP(s), ipFamilies and ipFamilyPolicy from this ExternalName Service';
  if (detail.includes("'None'")) return 'use a headful Service (remove clusterIP: None) or type ClusterIP';
  if (detail.includes('expected an IPv')) return 'put clusterIPs in the same order as ipFamilies, or drop the hard-coded IPs';
  if (detail.includes('first value must match')) return 'make clusterIPs[0] equal clusterIP, or remove the hard-coded IPs';
  if (detail.includes('must be empty when')) return 'set clusterIP to clusterIPs[0], or remove clusterIPs';
  if (detail.includes("may only be used when `type` is 'LoadBalancer'")) return 'remove the source ranges or make the Service type LoadBalancer';
  return 'correct the field as the message says';
}

export default defineRule<ServiceTarget>({
  meta: {
    id: 'service-ip-config-rejected',
    title: 'Service IP-family fields the apiserver rejects',
    category: 'services',
    severity: 'critical',
    scope: ['Service'],
    rationale:
      'The apiserver validates and defaults clusterIP(s), ipFamilies and ipFamilyPolicy on create against the cluster\'s Service families. ' +
      'A manifest it rejects never becomes a Service, so the application is not reachable in either family. ' +
      'Several rejections surprise people: two ipFamilies without an ipFamilyPolicy are rejected because the policy defaults to SingleStack, ' +
      'and RequireDualStack is rejected on a cluster that has only one Service family.',
    docs: {
      noFixedExample: 'The right value depends on which families and policy were intended; the message names the field and what the apiserver accepts.',
      notes: 'The check reproduces `initIPFamilyFields` (pkg/registry/core/service/storage/alloc.go) and the IP-field checks of `ValidateService` (pkg/apis/core/validation/validation.go). The message quotes the apiserver\'s field path and text. The result depends on the cluster\'s Service families (`--cluster-families`). ' +
        'When the evidence about them disagrees (the families are "undetermined", see docs/families.md: for example a freshly converted cluster whose nodes have IPv6 pod ranges but whose Services hold no IPv6 address yet), ' +
        'a rejection that only one of the possible family lists gives is not claimed: the finding is medium (`verify`) and says what to check and how to set `--cluster-families`.',
    },
    fix: {
      summary: 'Change the field the apiserver names; the message says how.',
      byMessage: {
        rejected: '{hint}.',
        verify: 'Check the kube-apiserver --service-cluster-ip-range flag (since 1.33 also `kubectl get servicecidr kubernetes -o jsonpath={.spec.cidrs}`), then rerun with --cluster-families set to what it lists; if the cluster has {families} only, {hint}.',
      },
    },
    messages: {
      rejected: 'A {clusterFamilies} cluster rejects Service "{name}": {apiserver}',
      verify: 'The cluster\'s Service families are undetermined (the evidence disagrees); if they are {families}, the apiserver rejects Service "{name}": {apiserver}',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation_test.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/storage/storage.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/storage/alloc.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/ipallocator/'],
  },
  *targets({ model }) {
    for (const svc of model.services) yield serviceTarget(svc);
  },
  *check({ svc }, { model }): Generator<RuleReport> {
    for (const e of svc.rejected) {
      yield {
        messageId: 'rejected',
        path: e.path,
        data: { clusterFamilies: familyList(model.clusterFamilies.families), name: svc.ref.name, apiserver: e.message, hint: hintFor(e.detail) },
      };
    }
    // Undetermined families: what another possible family list would reject is something to verify, never critical.
    const seen = new Set<string>();
    for (const alt of svc.rejectedIf ?? []) {
      for (const e of alt.errors) {
        const key = `${e.field}|${e.detail}`;
        if (seen.has(key)) continue;
        seen.add(key);
        yield {
          messageId: 'verify',
          path: e.path,
          severity: 'medium',
          data: { families: familyList(alt.families), name: svc.ref.name, apiserver: e.message, hint: hintFor(e.detail) },
        };
      }
    }
  },
});
