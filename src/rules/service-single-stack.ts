import { defineRule, type RuleReport } from './types.ts';
import { familyList, isApiserverService, serviceTarget, type ServiceTarget } from './helpers.ts';
import { l7ConsumersOf } from '../model/gke.ts';
import { envoyServiceOf } from '../model/envoy-gateway.ts';
import { formatRef } from '../model/types.ts';

export default defineRule<ServiceTarget>({
  meta: {
    id: 'service-single-stack',
    fixable: 'both',
    title: 'Services that stay single-stack on a dual-stack cluster',
    category: 'services',
    severity: 'medium',
    scope: ['Service'],
    rationale:
      'Without ipFamilyPolicy the apiserver creates a SingleStack Service in the cluster\'s primary family, even on a dual-stack cluster, ' +
      'so it gets no cluster IP, no AAAA record and no EndpointSlices in the other family, and IPv6 clients cannot reach it. ' +
      'An explicit SingleStack policy pins it the same way. For a LoadBalancer this means the public frontend has no IPv6 address (high).',
    docs: {
      notes: 'Evaluated against a dual-stack cluster with the same primary family as the target, so it also reports Services that will stay single-stack after a single-stack cluster is converted. Headless selectorless Services become RequireDualStack by themselves and pass. ExternalName Services have no IP families and are out of scope. An explicit IPv6-only Service (ipFamilyPolicy SingleStack with ipFamilies [IPv6]) is low whatever its type: it is a deliberate choice (GKE presents IPv4-only, IPv6-only and dual-stack Services side by side, https://cloud.google.com/kubernetes-engine/docs/concepts/service-networking), and the finding states its consequence, no IPv4 clients. PreferDualStack is enough: it never fails on a single-stack cluster, where it silently stays single. Services that are backends of GKE Ingresses (gce classes) or of HTTPRoutes attached to gke-l7-* Gateways are low: Google\'s L7 proxy terminates IPv6 and connects to backends over IPv4 by default (ipAddressSelectionPolicy IPV4_ONLY), so IPv6 clients of that frontend do not need the Service to be dual-stack; other in-cluster clients may still need it. ' +
        'The Envoy Service Envoy Gateway writes for a Gateway (labels app.kubernetes.io/managed-by: envoy-gateway and gateway.envoyproxy.io/owning-gateway-name and -namespace, or owning-gatewayclass) takes its families from the EnvoyProxy\'s spec.ipFamily, and Envoy Gateway server-side applies it again on every reconcile: its finding names the EnvoyProxy (or the GatewayClass that names none) and carries no patch, and when envoy-gateway-ipv4-listeners reports that EnvoyProxy or GatewayClass, it is listed under that finding. ' +
        'Sources: envoyproxy/gateway internal/infrastructure/kubernetes/infra_resource.go (createOrUpdateService, ownedByGateway), internal/infrastructure/kubernetes/proxy/resource_provider.go (Service: the families from ipFamily) and its testdata/services (the labels).',
    },
    fix: {
      summary: 'Set spec.ipFamilyPolicy: PreferDualStack (keep ipFamilies unset, or list the primary family first).',
      byMessage: {
        l7Backend: 'Set ipFamilyPolicy: PreferDualStack only if IPv6 clients inside the cluster call the Service.',
        ipv6Only: 'Keep it if no IPv4 client needs it; else set ipFamilyPolicy: PreferDualStack.',
        envoyGateway: 'Set spec.ipFamily: DualStack in {fixIn}, not in the Service: Envoy Gateway writes the Service from it and overwrites changes made to the Service.',
      },
    },
    messages: {
      defaulted: '{kind} Service gets SingleStack {families}: ipFamilyPolicy is unset and defaults to SingleStack, so it has no {missing} address',
      pinned: '{kind} Service is pinned to SingleStack {families}, so it has no {missing} address and {missing} clients cannot reach it',
      loadBalancer: 'LoadBalancer Service gets SingleStack {families} because ipFamilyPolicy is unset, so its frontend has no {missing} address',
      l7Backend: '{kind} Service gets SingleStack {families}; {consumers} serve its IPv6 clients, but IPv6 clients in the cluster get no address',
      ipv6Only: '{kind} Service is explicitly IPv6-only (SingleStack, ipFamilies: [IPv6]), so IPv4 clients{where} cannot reach it',
      loadBalancerPinned: 'LoadBalancer Service is pinned to SingleStack {families}, so its frontend has no {missing} address and {missing} clients cannot reach it',
      envoyGateway: '{kind} Service is written by Envoy Gateway for {owner} and gets SingleStack {families} from {setting}, so it has no {missing} address and {missing} clients cannot reach it',
    },
    foldsInto: [{ rule: 'envoy-gateway-ipv4-listeners', onCause: true }],
    references: [
      'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/storage/alloc.go', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/core/service/ipallocator/', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/dual-stack.md',
      'https://github.com/envoyproxy/gateway/blob/main/internal/infrastructure/kubernetes/infra_resource.go',
      'https://github.com/envoyproxy/gateway/blob/main/internal/infrastructure/kubernetes/proxy/resource_provider.go',
      'https://github.com/envoyproxy/gateway/tree/main/internal/infrastructure/kubernetes/proxy/testdata/services',
    ],
  },
  *targets({ model }) {
    for (const svc of model.services) {
      if (svc.type === 'ExternalName' || svc.rejected.length > 0 || isApiserverService(svc)) continue;
      // Backends of GKE Ingress / gke-l7 Gateways: the proxy serves IPv6 clients.
      const l7 = svc.type !== 'LoadBalancer' && l7ConsumersOf(svc, model).length > 0;
      yield serviceTarget(svc, svc.type === 'LoadBalancer' ? 'high' : l7 ? 'low' : 'medium');
    }
  },
  *check({ svc }, { model }): Generator<RuleReport> {
    const eff = svc.effectiveWhenDual;
    if (!eff || eff.ipFamilies.length >= 2) return;
    const fam = eff.ipFamilies[0]!;
    const missing = fam === 'IPv4' ? 'IPv6' : 'IPv4';
    const data = { kind: svc.headless ? 'Headless' : svc.type, families: familyList(eff.ipFamilies), missing };
    const explicit = svc.declared.ipFamilyPolicy !== undefined;
    // Envoy Gateway's Envoy Service: written from an EnvoyProxy, which is what to change; a patch
    // to the Service would be overwritten on the next reconcile. Same severities as any Service.
    const eg = envoyServiceOf(svc, model.dataPlanes.envoyGateway);
    if (eg) {
      const declaredFamilies = svc.declared.ipFamilies;
      const ipv6Only = fam === 'IPv6' && svc.declared.ipFamilyPolicy === 'SingleStack' && Array.isArray(declaredFamilies) && declaredFamilies.length === 1 && declaredFamilies[0] === 'IPv6';
      yield {
        messageId: 'envoyGateway', ...(ipv6Only ? { severity: 'low' as const } : {}),
        data: { ...data, owner: eg.owner, setting: eg.setting, fixIn: eg.fixIn },
        path: explicit ? ['spec', 'ipFamilyPolicy'] : svc.type === 'LoadBalancer' ? ['spec', 'type'] : ['spec'],
        ...(eg.decidedBy ? { cause: { ref: eg.decidedBy.ref, ...(eg.decidedBy.source ? { source: eg.decidedBy.source } : {}) } } : {}),
      };
      return;
    }
    const patch = [{ op: explicit ? 'replace' : 'add', path: '/spec/ipFamilyPolicy', value: 'PreferDualStack' } as const];
    // Adding the policy a Service lacks keeps its meaning on a single-stack cluster (PreferDualStack
    // is SingleStack there) and completes it on a dual-stack one: a fix. Overriding a pinned
    // SingleStack, opening a second load-balancer frontend, or an L7 backend: a suggestion.
    const fix = { suggest: patch };
    // An explicit IPv6-only Service is a choice GKE and Kubernetes offer on a par with the others:
    // low, stating the consequence, not the severity of a default nobody chose (issue 15).
    const declaredFamilies = svc.declared.ipFamilies;
    if (fam === 'IPv6' && svc.declared.ipFamilyPolicy === 'SingleStack' && Array.isArray(declaredFamilies) && declaredFamilies.length === 1 && declaredFamilies[0] === 'IPv6') {
      yield { messageId: 'ipv6Only', severity: 'low', data: { ...data, where: svc.type === 'LoadBalancer' ? ' of its load balancer' : '' }, path: ['spec', 'ipFamilies'], ...fix };
      return;
    }
    const l7 = svc.type === 'LoadBalancer' || missing !== 'IPv6' ? [] : l7ConsumersOf(svc, model);
    if (l7.length > 0) {
      // Identical copies of one Ingress in two files are one consumer.
      const consumers = [...new Set(l7.map((c) => `${formatRef(c.ref)} (${c.cls})`))].join(', ');
      yield { messageId: 'l7Backend', data: { ...data, consumers }, path: explicit ? ['spec', 'ipFamilyPolicy'] : ['spec'], ...fix };
    } else if (svc.type === 'LoadBalancer') {
      yield { messageId: explicit ? 'loadBalancerPinned' : 'loadBalancer', data, path: explicit ? ['spec', 'ipFamilyPolicy'] : ['spec', 'type'], ...fix };
    } else if (explicit) {
      yield { messageId: 'pinned', data, path: ['spec', 'ipFamilyPolicy'], ...fix };
    } else {
      yield { messageId: 'defaulted', data, path: ['spec'], fix: patch };
    }
  },
});
