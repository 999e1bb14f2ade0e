import { defineRule, type RuleReport, type Target } from './types.ts';
import { PAIR_ANNOTATIONS, sameSite, type GkeIngress } from '../model/gke.ts';
import type { Coexistence } from '../model/coexist.ts';
import { formatRef } from '../model/types.ts';

interface PairTarget extends Target {
  readonly ing: GkeIngress;
  readonly twin: GkeIngress;
}

/** Two GKE Ingresses form an IPv4/IPv6 pair: they serve one site (model/gke.ts sameSite) from two different static addresses. */
export function isPair(a: GkeIngress, b: GkeIngress, coexistence: Coexistence): boolean {
  return a.staticIP !== undefined && b.staticIP !== undefined && a.staticIP.name !== b.staticIP.name && sameSite(a, b, coexistence);
}

export default defineRule<PairTarget>({
  meta: {
    id: 'gke-ingress-pair-drift',
    title: 'IPv4/IPv6 GKE Ingress pairs whose routing or certificates differ',
    category: 'services',
    severity: 'medium',
    scope: ['Ingress'],
    rationale:
      'A dual-stack GKE Ingress is two Ingresses, one per family, that must serve the same site. When their rules, TLS secrets, managed certificates, pre-shared certificates or FrontendConfig differ, ' +
      'clients see a different site, certificate or redirect depending on the address family their resolver picks, which is hard to notice and to debug.',
    docs: {
      noFixedExample: 'Which of the two Ingresses is right is the user\'s decision.',
      notes: 'A pair is two GKE Ingresses of one namespace, in files that can be applied together, that name different static addresses and either have names and address names that differ only by a family suffix (-v6, -ipv6, -v4), or have the same class, backends, rules, default backend, TLS and certificate annotations (sharing a backend alone makes no pair: two sites with other paths, certificates or IAP settings may use one Service). Compared: the class, spec.rules, spec.defaultBackend, spec.tls and the annotations ' + PAIR_ANNOTATIONS.join(', ') + '. Each difference is reported once, on the later Ingress of the pair.',
    },
    fix: { summary: 'Render both Ingresses from one template (Kustomize patch, Helm range) so that only the name and the static-IP annotation differ.' },
    messages: {
      drift: 'This Ingress and its twin {twin} (the other family\'s frontend) differ in {what}, so clients get a different {effect} depending on their family',
    },
    references: ['https://github.com/kubernetes/ingress-gce/blob/master/pkg/loadbalancers/forwarding_rules.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/translator/translator.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/loadbalancers/addresses.go', 'https://github.com/kubernetes/k8s.io/blob/main/apps/k8s-io/ingress-prod-v6.yaml'],
  },
  *targets({ model }) {
    const ings = model.gke.ingresses;
    for (let i = 0; i < ings.length; i++) {
      const twin = ings.slice(0, i).find((o) => isPair(o, ings[i]!, model.coexistence));
      if (twin) yield { ref: ings[i]!.ref, ...(ings[i]!.source ? { source: ings[i]!.source } : {}), annotations: ings[i]!.annotations, ing: ings[i]!, twin };
    }
  },
  *check({ ing, twin }): Generator<RuleReport> {
    const t = formatRef(twin.ref);
    if (ing.cls !== twin.cls) yield { messageId: 'drift', path: ['metadata', 'annotations'], data: { twin: t, what: `class (${ing.cls} vs ${twin.cls})`, effect: 'load balancer' } };
    if (ing.rulesKey !== twin.rulesKey) yield { messageId: 'drift', path: ['spec', 'rules'], data: { twin: t, what: 'spec.rules', effect: 'routing' } };
    if (ing.defaultBackendKey !== twin.defaultBackendKey) yield { messageId: 'drift', path: ['spec', 'defaultBackend'], data: { twin: t, what: 'the default backend', effect: 'routing' } };
    if (ing.tlsKey !== twin.tlsKey) yield { messageId: 'drift', path: ['spec', 'tls'], data: { twin: t, what: 'spec.tls', effect: 'certificate' } };
    for (const a of PAIR_ANNOTATIONS) {
      if (ing.annotations[a] === twin.annotations[a]) continue;
      const effect = a.includes('FrontendConfig') ? 'redirect and TLS policy' : a.includes('allow-http') ? 'HTTP behaviour' : 'certificate';
      yield { messageId: 'drift', path: ing.annotations[a] !== undefined ? ['metadata', 'annotations', a] : ['metadata', 'annotations'], data: { twin: t, what: `annotation ${a} (${JSON.stringify(ing.annotations[a] ?? null)} vs ${JSON.stringify(twin.annotations[a] ?? null)})`, effect } };
    }
  },
});
