import { defineRule, type JsonPatchOp, type RuleReport, type Target } from './types.ts';
import type { ContourListenerConfig, ListenerAddress } from '../model/contour.ts';
import { parseIP } from '../emulate/ip.ts';
import { pointer } from './helpers-workloads.ts';

interface ContourTarget extends Target {
  readonly config: ContourListenerConfig;
}

const FLAGS = { http: '--envoy-service-http-address', https: '--envoy-service-https-address' } as const;

/** IPv4-only: left to the 0.0.0.0 default, or an IPv4 address. "::" is dual-stack (ipv4_compat). */
const ipv4Only = (l: ListenerAddress): boolean => l.value === undefined || parseIP(l.value.trim())?.family === 'IPv4';
const describe = (l: ListenerAddress): string => `${l.listener.toUpperCase()} (${l.value === undefined ? '0.0.0.0 by default' : l.value})`;

function patch(config: ContourListenerConfig, bad: readonly ListenerAddress[]): JsonPatchOp[] {
  if (config.via === 'flags') {
    const c = config.container!;
    const replace = bad.filter((l) => l.value !== undefined).map((l): JsonPatchOp =>
      ({ op: 'replace', path: pointer(l.path), value: l.joined ? `${FLAGS[l.listener]}=::` : '::' }));
    const added = bad.filter((l) => l.value === undefined).map((l) => `${FLAGS[l.listener]}=::`);
    if (added.length === 0) return replace;
    if (c.argCount === 0) return [...replace, { op: 'add', path: pointer(c.argsPath), value: added }];
    return [...replace, ...added.map((a): JsonPatchOp => ({ op: 'add', path: `${pointer(c.argsPath)}/-`, value: a }))];
  }
  // A ContourConfiguration or ContourDeployment: only addresses written can be replaced in place.
  return bad.filter((l) => l.value !== undefined).map((l): JsonPatchOp => ({ op: 'replace', path: pointer(l.path), value: '::' }));
}

export default defineRule<ContourTarget>({
  meta: {
    id: 'contour-envoy-listener-ipv4',
    fixable: 'suggestion',
    title: 'Contour\'s Envoy HTTP/HTTPS listeners bound to IPv4 only',
    category: 'services',
    severity: 'medium',
    scope: ['Deployment', 'DaemonSet', 'StatefulSet', 'Pod', 'ContourConfiguration', 'ContourDeployment'],
    rationale:
      'Contour tells Envoy where its HTTP and HTTPS listeners bind, and both default to 0.0.0.0, an IPv4-only socket in Envoy. ' +
      'IPv6 connections to the Envoy Service, or to Envoy\'s host ports, are then refused even on a dual-stack cluster. ' +
      'Set to "::", Contour marks the listener ipv4_compat, so one socket accepts both families.',
    docs: {
      notes: 'The addresses come from the contour serve flags --envoy-service-http-address and --envoy-service-https-address, or, when the container names a ContourConfiguration with --contour-config-name, from that object\'s spec.envoy.http.address and spec.envoy.https.address (the flags are then ignored; the ContourConfiguration is judged on its own when it is in the input). ' +
        'The Gateway provisioner copies a ContourDeployment\'s spec.runtimeSettings into the ContourConfiguration it creates, so those are judged too. The contour.yaml configuration file has no key for these addresses. ' +
        'A contour serve container is one running the projectcontour/contour image, or the contour binary, with the serve subcommand. Not reported when the target cluster has no IPv6 (--cluster-families ipv4). ' +
        'The patch sets "::", which needs IPv6 enabled in the Envoy pods\' network namespace, hence a suggestion. In YAML quote the argument ("--envoy-service-http-address=::"): unquoted, the trailing colon makes it a mapping. ' +
        'Sources: projectcontour/contour cmd/contour/serve.go (the flags; getConfig), cmd/contour/servecontext.go (defaults 0.0.0.0), internal/contourconfig/contourconfiguration.go (Defaults), internal/envoy/v3/listener.go (SocketAddress: ipv4_compat for "::"), internal/provisioner/objects/contourconfig/contourconfig.go (runtimeSettings).',
    },
    fix: { summary: 'Bind the Envoy HTTP and HTTPS listeners to "::" (--envoy-service-http-address=:: and --envoy-service-https-address=::, or spec.envoy.http.address and spec.envoy.https.address in the ContourConfiguration).' },
    messages: {
      listeners: '{where} binds Envoy\'s {listeners} listener{plural} to IPv4 only, so IPv6 clients of the Envoy Service are refused',
    },
    references: [
      'https://github.com/projectcontour/contour/blob/main/cmd/contour/serve.go',
      'https://github.com/projectcontour/contour/blob/main/cmd/contour/servecontext.go',
      'https://github.com/projectcontour/contour/blob/main/internal/contourconfig/contourconfiguration.go',
      'https://github.com/projectcontour/contour/blob/main/internal/envoy/v3/listener.go',
      'https://github.com/projectcontour/contour/blob/main/apis/projectcontour/v1alpha1/contourconfig.go',
    ],
  },
  *targets({ model }) {
    for (const config of model.dataPlanes.contour.configs) yield { ref: config.ref, ...(config.source ? { source: config.source } : {}), annotations: config.annotations, config };
  },
  *check({ config }, { model }): Generator<RuleReport> {
    if (!model.clusterFamilies.families.includes('IPv6')) return;
    const bad = config.listeners.filter(ipv4Only);
    if (bad.length === 0) return;
    const written = bad.find((l) => l.value !== undefined);
    const where = config.via === 'flags' ? `contour serve (container ${config.container!.name})` : config.via;
    const path = written?.path ?? (config.via === 'flags' ? (config.container!.argCount > 0 ? config.container!.argsPath : config.container!.path) : bad[0]!.path);
    const ops = patch(config, bad);
    yield {
      messageId: 'listeners', path,
      data: { where, listeners: bad.map(describe).join(' and '), plural: bad.length > 1 ? 's' : '' },
      ...(ops.length > 0 ? { suggest: ops } : {}),
    };
  },
});
