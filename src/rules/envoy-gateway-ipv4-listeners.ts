import { defineRule, type RuleReport, type Target } from './types.ts';
import type { EgGatewayClass, EnvoyProxy } from '../model/envoy-gateway.ts';
import { formatRef } from '../model/types.ts';
import { listText } from './helpers-workloads.ts';

type EgTarget = Target & ({ readonly proxy: EnvoyProxy } | { readonly cls: EgGatewayClass });

const usersText = (p: EnvoyProxy): string => (p.users.length > 0 ? ` (used by ${listText(p.users.map(formatRef))})` : '');

export default defineRule<EgTarget>({
  meta: {
    id: 'envoy-gateway-ipv4-listeners',
    fixable: 'suggestion',
    title: 'Envoy Gateway data plane left or pinned to IPv4',
    category: 'services',
    severity: 'medium',
    scope: ['EnvoyProxy', 'GatewayClass'],
    rationale:
      'Envoy Gateway takes the IP family of a Gateway\'s Envoy fleet from EnvoyProxy spec.ipFamily, and an unset ipFamily means IPv4: the listeners bind 0.0.0.0 and the Envoy Service is created SingleStack IPv4. ' +
      'With IPv6 or DualStack the listeners bind :: (DualStack adds IPv4 compatibility) and the Service gets the IPv6 or both families. ' +
      'So a GatewayClass or Gateway whose EnvoyProxy says IPv4, sets no ipFamily, or that names no EnvoyProxy at all serves no IPv6 client, whatever the cluster offers.',
    docs: {
      notes: 'The EnvoyProxy that applies is the Gateway\'s (spec.infrastructure.parametersRef), else its GatewayClass\'s (spec.parametersRef), else the default in the EnvoyGateway configuration (envoyProxy, in the envoy-gateway.yaml key of the envoy-gateway-config ConfigMap). ' +
        'An EnvoyProxy with spec.mergeType merges over the less specific levels, so its unset ipFamily is inherited and not reported; without mergeType it replaces them, so its unset ipFamily is IPv4. ' +
        'A GatewayClass of Envoy Gateway\'s controller (gateway.envoyproxy.io/...) without an EnvoyProxy is reported unless every one of its Gateways in the input names its own, or the EnvoyGateway configuration in the input sets ipFamily IPv6 or DualStack. ' +
        'Not reported when the target cluster has no IPv6 (--cluster-families ipv4). DualStack makes the Envoy Service RequireDualStack, which a single-stack cluster rejects, so the patch is a suggestion. ' +
        'The Envoy Service that Envoy Gateway writes for the Gateways (in a live audit, a snapshot or `kubectl get -o yaml` output) is not reported apart: service-single-stack\'s finding on it is listed under this one (`related`), since the Service follows this setting and Envoy Gateway overwrites changes made to it. ' +
        'Sources: envoyproxy/gateway api/v1alpha1/envoyproxy_types.go (IPFamily, MergeType), internal/gatewayapi/listener.go (0.0.0.0 unless IPv6 or DualStack), internal/infrastructure/kubernetes/proxy/resource_provider.go (the Service families), internal/xds/translator/listener.go (ipv4_compat for DualStack), internal/gatewayapi/envoyproxy_merge.go and contexts.go (the three levels).',
    },
    fix: {
      summary: 'Set spec.ipFamily: DualStack in the EnvoyProxy the Gateways use (name one from the GatewayClass\'s spec.parametersRef if there is none).',
      byMessage: {
        noProxy: 'name an EnvoyProxy with spec.ipFamily: DualStack in spec.parametersRef of GatewayClass {name} (group gateway.envoyproxy.io, kind EnvoyProxy)',
      },
    },
    messages: {
      pinned: 'EnvoyProxy ipFamily: IPv4 binds the Envoy listeners to 0.0.0.0 and makes the Envoy Service SingleStack IPv4{users}, so IPv6 clients cannot reach these Gateways',
      unset: 'EnvoyProxy sets no ipFamily and no mergeType, which Envoy Gateway takes as IPv4: the listeners bind 0.0.0.0 and the Envoy Service is SingleStack IPv4{users}, so IPv6 clients cannot reach these Gateways',
      noProxy: 'GatewayClass {name} names no EnvoyProxy in spec.parametersRef, so its Envoy data plane runs IPv4-only ({why}): IPv6 clients cannot reach {gateways}',
    },
    references: [
      'https://github.com/envoyproxy/gateway/blob/main/api/v1alpha1/envoyproxy_types.go',
      'https://github.com/envoyproxy/gateway/blob/main/api/v1alpha1/envoygateway_types.go',
      'https://github.com/envoyproxy/gateway/blob/main/internal/gatewayapi/listener.go',
      'https://github.com/envoyproxy/gateway/blob/main/internal/gatewayapi/envoyproxy_merge.go',
      'https://github.com/envoyproxy/gateway/blob/main/internal/infrastructure/kubernetes/proxy/resource_provider.go',
      'https://github.com/envoyproxy/gateway/blob/main/internal/xds/translator/listener.go',
    ],
  },
  *targets({ model }) {
    const eg = model.dataPlanes.envoyGateway;
    for (const proxy of eg.proxies) yield { ref: proxy.ref, ...(proxy.source ? { source: proxy.source } : {}), annotations: proxy.annotations, proxy };
    for (const cls of eg.gatewayClasses) if (!cls.proxy) yield { ref: cls.ref, ...(cls.source ? { source: cls.source } : {}), annotations: cls.annotations, cls };
  },
  *check(t, { model }): Generator<RuleReport> {
    if (!model.clusterFamilies.families.includes('IPv6')) return;
    if ('proxy' in t) {
      const p = t.proxy;
      if (p.ipFamily === 'IPv4') {
        yield { messageId: 'pinned', path: ['spec', 'ipFamily'], data: { users: usersText(p) }, suggest: [{ op: 'replace', path: '/spec/ipFamily', value: 'DualStack' }] };
      } else if (p.ipFamily === undefined && p.mergeType === undefined) {
        yield {
          messageId: 'unset', path: p.hasSpec ? ['spec'] : ['metadata', 'name'], data: { users: usersText(p) },
          suggest: [p.hasSpec ? { op: 'add', path: '/spec/ipFamily', value: 'DualStack' } : { op: 'add', path: '/spec', value: { ipFamily: 'DualStack' } }],
        };
      }
      return;
    }
    const cls = t.cls;
    if (cls.gateways.length > 0 && cls.gateways.every((g) => g.ownProxy)) return;
    const def = model.dataPlanes.envoyGateway.defaultIpFamily;
    if (def === 'IPv6' || def === 'DualStack') return;
    const open = cls.gateways.filter((g) => !g.ownProxy).map((g) => `Gateway ${g.ref.namespace ?? 'default'}/${g.ref.name}`);
    yield {
      messageId: 'noProxy', path: ['spec', 'controllerName'],
      data: {
        name: cls.ref.name,
        why: def === 'IPv4' ? 'the EnvoyGateway configuration sets envoyProxy.ipFamily: IPv4' : 'ipFamily defaults to IPv4',
        gateways: open.length > 0 ? listText(open) : 'its Gateways',
      },
    };
  },
});
