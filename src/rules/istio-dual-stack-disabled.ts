import { defineRule, type JsonPatchOp, type RuleReport, type Target } from './types.ts';
import type { DualStackSetting, IstioInstall } from '../model/istio.ts';
import { pointer } from './helpers-workloads.ts';

interface IstioTarget extends Target {
  readonly install: IstioInstall;
}

/** Go's strconv.ParseBool true values (env.RegisterBoolVar parses the variable with it). */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const off = (s: DualStackSetting): boolean => s.value === undefined || !TRUE.has(s.value.trim());
const shown = (s: DualStackSetting): string => (s.value === undefined ? 'unset, so false' : `"${s.value}"`);

function patch(bad: readonly DualStackSetting[]): JsonPatchOp[] {
  return bad.flatMap((s): JsonPatchOp[] =>
    s.value !== undefined ? [{ op: 'replace', path: pointer(s.path), value: 'true' }]
    : s.add ? [{ op: 'add', path: pointer(s.add.path), value: s.add.value }] : []);
}

export default defineRule<IstioTarget>({
  meta: {
    id: 'istio-dual-stack-disabled',
    fixable: 'suggestion',
    title: 'Istio installed without its dual-stack support on a dual-stack cluster',
    category: 'services',
    severity: 'medium',
    scope: ['Deployment', 'IstioOperator'],
    rationale:
      'Istio\'s dual-stack support is off unless ISTIO_DUAL_STACK is true: istiod then builds each gateway and waypoint listener, and a dual-stack sidecar\'s passthrough, on the first wildcard only (0.0.0.0 for a pod with an IPv4 address), so IPv6 clients of an Istio ingress gateway are refused. ' +
      'On the proxy side (istio-iptables, the Istio CNI plugin) the same variable turns on the redirects for both families: without it the redirect is set up for the family of the pod\'s first address only, so a dual-stack pod\'s IPv6 traffic bypasses its sidecar (and its mTLS and policies).',
    docs: {
      notes: 'Read from istiod containers (the pilot image, or the discovery subcommand of an Istio image), whose env must set ISTIO_DUAL_STACK, and from IstioOperator objects, which need values.pilot.env.ISTIO_DUAL_STACK (istiod) and meshConfig.defaultConfig.proxyMetadata.ISTIO_DUAL_STACK (the proxies), as Istio\'s dual-stack installation page shows. ' +
        'An IstioOperator of the empty profile (nothing installed) is skipped; one of the remote profile, or with components.pilot.enabled: false, is judged for the proxies only. A value taken from a ConfigMap or field reference is not judged. Values are read as Go booleans (1, t, true, True, TRUE). ' +
        'Reported only when the target cluster is dual-stack: on a single-family cluster the proxies use that family. The variable is still registered as experimental in istiod. ' +
        'Sources: istio/istio pilot/pkg/features/experimental.go (ISTIO_DUAL_STACK, default false), pilot/pkg/networking/core/gateway.go, listener_builder.go and listener_address.go (the extra wildcard bind only with it), tools/istio-iptables/pkg/cmd/root.go, manifests/profiles.',
    },
    fix: {
      summary: 'Set ISTIO_DUAL_STACK to "true" for istiod (values.pilot.env, or the istiod container env) and for the proxies (meshConfig.defaultConfig.proxyMetadata).',
    },
    messages: {
      istiod: 'istiod (container {container}) runs with ISTIO_DUAL_STACK {value}: gateway listeners bind 0.0.0.0 only, so IPv6 clients of the Istio gateways are refused',
      operator: 'IstioOperator leaves Istio\'s dual-stack support off ({which}): {effect}',
    },
    references: [
      'https://github.com/istio/istio/blob/master/pilot/pkg/features/experimental.go',
      'https://github.com/istio/istio/blob/master/pilot/pkg/networking/core/gateway.go',
      'https://github.com/istio/istio/blob/master/pilot/pkg/networking/core/listener_address.go',
      'https://github.com/istio/istio/blob/master/tools/istio-iptables/pkg/cmd/root.go',
      'https://istio.io/latest/docs/setup/additional-setup/dual-stack/',
    ],
  },
  *targets({ model }) {
    for (const install of model.dataPlanes.istio.installs) yield { ref: install.ref, ...(install.source ? { source: install.source } : {}), annotations: install.annotations, install };
  },
  *check({ install }, { model }): Generator<RuleReport> {
    if (model.clusterFamilies.families.length < 2) return;
    const bad = install.settings.filter(off);
    if (bad.length === 0) return;
    const ops = patch(bad);
    const suggest = ops.length > 0 ? { suggest: ops } : {};
    const path = (bad.find((s) => s.value !== undefined) ?? bad[0]!).path;
    if (install.via === 'istiod') {
      yield { messageId: 'istiod', path, data: { container: install.container ?? '?', value: shown(bad[0]!) }, ...suggest };
      return;
    }
    const which = bad.map((s) => `${s.for === 'istiod' ? 'values.pilot.env' : 'meshConfig.defaultConfig.proxyMetadata'} ISTIO_DUAL_STACK ${shown(s)}`).join('; ');
    const effect = [
      ...(bad.some((s) => s.for === 'istiod') ? ['gateway listeners bind 0.0.0.0 only, so IPv6 clients of the Istio gateways are refused'] : []),
      ...(bad.some((s) => s.for === 'proxies') ? ['sidecars redirect one family only, so IPv6 traffic of dual-stack pods bypasses them'] : []),
    ].join('; ');
    yield { messageId: 'operator', path: bad.some((s) => s.value !== undefined) ? path : ['spec'], data: { which, effect }, ...suggest };
  },
});
