import { defineRule, type RuleReport } from './types.ts';
import { serviceTarget, type ServiceTarget } from './helpers.ts';
import { theCluster } from '../model/gcp.ts';
import { annotationPath, finalizersOf, internalAnnotation, onGke, wantsIPv6 } from './helpers-gke.ts';
import { L4_RBS } from '../model/gke.ts';

const LEGACY_CLASSES = new Set(['networking.gke.io/l4-regional-internal-legacy', 'networking.gke.io/l4-regional-external-legacy']);
const GKE_CLASSES = new Set([...LEGACY_CLASSES, 'networking.gke.io/l4-regional-internal', 'networking.gke.io/l4-regional-external']);

export default defineRule<ServiceTarget>({
  meta: {
    id: 'gke-lb-legacy-ipv4-only',
    fixable: 'suggestion',
    title: 'Dual-stack GKE LoadBalancers handled by the legacy controllers, which have no IPv6',
    category: 'services',
    severity: 'high',
    scope: ['Service'],
    rationale:
      'On GKE, IPv6 frontends are built only by ingress-gce\'s L4 controllers: the backend-service NetLB (cloud.google.com/l4-rbs: "enabled" or class networking.gke.io/l4-regional-external) ' +
      'and the internal LB with GKE subsetting. The legacy paths (target-pool NetLB, the internal LB with instance groups, and the *-legacy classes) come from the cloud provider code, which has no IPv6 at all: ' +
      'a dual-stack Service on them gets an IPv4 frontend only. Which path an external Service without RBS takes depends on the cluster\'s defaults, and an internal one depends on GKE subsetting, so those cases say verify.',
    docs: {
      notes: 'Evaluated for LoadBalancer Services on GKE (the platform, see --platform, or GKE annotations or class) that ask for IPv6 on the target cluster or on a dual-stack one. Certain (high): a *-legacy class, or, live, the finalizer gke.networking.io/l4-netlb-v1 or l4-ilb-v1. Verify (low): an external Service with neither cloud.google.com/l4-rbs: "enabled" nor a class (target-pool NetLB unless the cluster enables RBS by default, versions not verified (verify)), and an internal one by annotation without a class (legacy unless GKE subsetting is enabled, automatic from GKE 1.36; it passes when the input\'s GKE cluster, in any form, sets enableL4IlbSubsetting). A class of another controller is not judged. Sources: ingress-gce pkg/l4/annotations/service.go, pkg/l4/controllers/l4netlbcontroller.go, vendored gce_loadbalancer_internal.go and gce_loadbalancer_external.go (no IPv6 code).',
    },
    fix: { summary: 'Use cloud.google.com/l4-rbs: "enabled" (or loadBalancerClass networking.gke.io/l4-regional-external) for external LoadBalancers, and enable GKE subsetting (or loadBalancerClass networking.gke.io/l4-regional-internal) for internal ones.', byMessage: { legacyClass: 'Use loadBalancerClass {modern}.', legacyFinalizer: 'Recreate the Service with {fix}.' } },
    messages: {
      legacyClass: 'loadBalancerClass {cls} is the legacy GKE controller, which has no IPv6 support, so the dual-stack Service gets an IPv4 frontend only',
      legacyFinalizer: 'The finalizer {finalizer} shows the legacy GKE {what}, which has no IPv6 support, so the dual-stack Service has an IPv4 frontend only',
      externalNoRbs: 'External LoadBalancer without l4-rbs or a loadBalancerClass may land on the legacy target-pool NetLB, which has no IPv6 frontend (verify)',
      internalNoSubsetting: 'Internal LoadBalancer ({annotation}) without a loadBalancerClass is built by the legacy controller without GKE subsetting, with no IPv6 frontend (verify)',
    },
    references: ['https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/annotations/service.go', 'https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/annotations/l4_static_address.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/controllers/l4netlbcontroller.go'],
  },
  *targets({ model }) {
    for (const svc of model.services) {
      if (svc.type !== 'LoadBalancer' || !wantsIPv6(svc) || !onGke(svc, model)) continue;
      if (svc.loadBalancerClass !== undefined && !GKE_CLASSES.has(svc.loadBalancerClass)) continue;
      const cls = svc.loadBalancerClass;
      const certain = (cls !== undefined && LEGACY_CLASSES.has(cls)) || finalizersOf(svc, model).some((f) => /\/l4-(ilb|netlb)-v1$/.test(f));
      yield serviceTarget(svc, certain ? 'high' : 'low');
    }
  },
  *check({ svc }, { model }): Generator<RuleReport> {
    const cls = svc.loadBalancerClass;
    if (cls !== undefined && LEGACY_CLASSES.has(cls)) {
      yield { messageId: 'legacyClass', path: ['spec', 'loadBalancerClass'], data: { cls, modern: cls.replace(/-legacy$/, '') }, suggest: [{ op: 'replace', path: '/spec/loadBalancerClass', value: cls.replace(/-legacy$/, '') }] };
      return;
    }
    const fins = finalizersOf(svc, model);
    const legacy = fins.find((f) => /\/l4-(ilb|netlb)-v1$/.test(f));
    if (legacy) {
      const ilb = legacy.includes('ilb');
      yield {
        messageId: 'legacyFinalizer', path: ['metadata', 'finalizers'],
        data: { finalizer: legacy, what: ilb ? 'internal LB (instance groups)' : 'target-pool NetLB', fix: ilb ? 'GKE subsetting enabled' : 'cloud.google.com/l4-rbs: "enabled"' },
      };
      return;
    }
    if (cls !== undefined || fins.some((f) => /\/l4-(ilb|netlb)-v[2-9]$/.test(f))) return;
    const internal = internalAnnotation(svc);
    if (internal) {
      // The input's GKE cluster (model/gcp.ts) says GKE subsetting is on: ingress-gce builds it.
      if (theCluster(model.gcp)?.l4IlbSubsetting.value === true) return;
      yield { messageId: 'internalNoSubsetting', path: annotationPath(internal), data: { annotation: internal } };
    } else if (svc.annotations[L4_RBS] !== 'enabled') {
      yield {
        messageId: 'externalNoRbs', path: svc.annotations[L4_RBS] !== undefined ? annotationPath(L4_RBS) : ['spec', 'type'],
        suggest: [{ op: 'add', path: '/metadata/annotations/cloud.google.com~1l4-rbs', value: 'enabled' }],
      };
    }
  },
});
