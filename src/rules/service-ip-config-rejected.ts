import { defineRule, type RuleReport, type Target } from './types.ts';
import { familyList, serviceTarget } from './helpers.ts';
import { formatRef, type Family } from '../model/types.ts';
import type { Service } from '../model/services.ts';
import type { Model } from '../model/build.ts';

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

/** Why a Service whose only rejections depend on the undetermined families is not judged (engine: not evaluated). */
const UNDETERMINED = "the cluster's Service families are undetermined";

/**
 * A Service, or (families undetermined) the one evaluation of what depends on them: the Services
 * another candidate family list would reject, reported once where the evidence disagrees.
 */
interface RejectedTarget extends Target {
  readonly svc?: Service;
  readonly undetermined?: readonly Service[];
}

/**
 * What each other candidate family list would reject: "if they are [IPv6], the apiserver rejects 4
 * Services with <its message> (Service/a/x, Service/a/y, Service/a/z, and 1 more)", one group per
 * message (the first error of each Service), several groups counted.
 */
function outcomes(model: Model, affected: readonly Service[]): string {
  const parts: string[] = [];
  for (const fams of model.clusterFamilies.candidates ?? []) {
    const groups = new Map<string, string[]>();
    let total = 0;
    for (const svc of affected) {
      const alt = svc.rejectedIf?.find((a) => sameFamilies(a.families, fams));
      if (!alt) continue;
      total++;
      const msg = alt.errors[0]!.message;
      const l = groups.get(msg);
      if (l) l.push(formatRef(svc.ref));
      else groups.set(msg, [formatRef(svc.ref)]);
    }
    if (total === 0) continue;
    const each = [...groups].map(([msg, refs]) => {
      // A name defined in several files (overlays) is named once.
      const names = [...new Set(refs)].slice(0, 3);
      const more = refs.filter((r) => !names.includes(r)).length;
      return `${groups.size > 1 ? `${refs.length} with ` : ''}${msg} (${names.join(', ')}${more > 0 ? `, and ${more} more` : ''})`;
    });
    parts.push(`if they are ${familyList(fams)}, the apiserver rejects ${total} Service${total === 1 ? '' : 's'}${groups.size > 1 ? ': ' : ' with '}${each.join('; ')}`);
  }
  return parts.join('; ');
}

const sameFamilies = (a: readonly Family[], b: readonly Family[]): boolean => a.length === b.length && a.every((f, i) => f === b[i]);

export default defineRule<RejectedTarget>({
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
        'a rejection that only one of the possible family lists gives is not claimed. One root cause, one finding: a single medium finding (`verify`), on the evidence that disagrees (the strongest statement of the Service families, else `default/kubernetes`, else the first Service concerned), ' +
        'says why the families are undetermined, how many Services each possible family list would reject (by the apiserver\'s message, up to three named for each), and how to settle it; ' +
        'a Service with no other rejection is *not evaluated* by this rule (out of the score, never counted as passed) until `--cluster-families` (or `clusterFamilies` in the config file) says which families the cluster has.',
    },
    fix: {
      summary: 'Change the field the apiserver names; the message says how.',
      byMessage: {
        rejected: '{hint}.',
        verify: 'Check the kube-apiserver --service-cluster-ip-range flag (since 1.33 also `kubectl get servicecidr kubernetes -o jsonpath={.spec.cidrs}`), then rerun with --cluster-families set to what it lists (or set clusterFamilies in the config file): each Service is then judged, and one the cluster rejects is reported as critical.',
      },
    },
    messages: {
      rejected: 'A {clusterFamilies} cluster rejects Service "{name}": {apiserver}',
      verify: 'The cluster\'s Service families are undetermined ({conflict}), and {count} Service{s} depend{verb} on them: {outcomes}',
    },
    references: ['https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/core/validation/validation_test.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/storage/storage.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/storage/alloc.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/ipallocator/'],
  },
  *targets({ model }) {
    const affected: Service[] = [];
    for (const svc of model.services) {
      if (!svc.rejectedIf || svc.rejectedIf.length === 0) {
        yield serviceTarget(svc);
        continue;
      }
      affected.push(svc);
      // Rejected whatever the families: judged. Rejected only on some candidate: cannot be judged.
      yield svc.rejected.length > 0 ? serviceTarget(svc) : { ...serviceTarget(svc), notEvaluated: UNDETERMINED };
    }
    if (affected.length === 0) return;
    // Undetermined families: one evaluation for what depends on them, where the evidence disagrees
    // (the first such Service when no object of the input holds that evidence).
    const site = model.familiesConflict?.site;
    yield site
      ? { ref: site.ref, ...(site.source ? { source: site.source } : {}), annotations: site.annotations, severity: 'medium', undetermined: affected }
      : { ...serviceTarget(affected[0]!, 'medium'), undetermined: affected };
  },
  *check({ svc, undetermined }, { model }): Generator<RuleReport> {
    if (undetermined) {
      const site = model.familiesConflict?.site;
      const n = undetermined.length;
      yield {
        messageId: 'verify',
        path: site ? site.path : undetermined[0]!.rejectedIf![0]!.errors[0]!.path,
        severity: 'medium',
        // A baseline keeps it while the families stay undetermined, whatever Services come and go.
        key: 'undetermined',
        data: {
          conflict: model.familiesConflict?.why.join('; ') || 'the evidence disagrees',
          count: n, s: n === 1 ? '' : 's', verb: n === 1 ? 's' : '',
          outcomes: outcomes(model, undetermined),
        },
      };
      return;
    }
    if (!svc) return;
    for (const e of svc.rejected) {
      yield {
        messageId: 'rejected',
        path: e.path,
        data: { clusterFamilies: familyList(model.clusterFamilies.families), name: svc.ref.name, apiserver: e.message, hint: hintFor(e.detail) },
      };
    }
  },
});
