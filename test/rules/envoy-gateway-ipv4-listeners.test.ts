import rule from '../../src/rules/envoy-gateway-ipv4-listeners.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// Real files from envoyproxy/gateway (fixtures/SOURCES.md): the quickstart GatewayClass (no
// EnvoyProxy), an e2e Gateway whose EnvoyProxy says ipFamily: IPv4, and the dual-stack e2e pair.
const QUICKSTART = fixture('vendors/envoy-gateway/examples/kubernetes/quickstart.yaml');
const PINNED = fixture('vendors/envoy-gateway/test/e2e/testdata/envoyproxy-daemonset.yaml');
const DUAL = fixture('vendors/envoy-gateway/test/e2e/testdata/backend-dualstack.yaml');

const cls = (extra = ''): string =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: eg\nspec:\n  controllerName: gateway.envoyproxy.io/gatewayclass-controller\n${extra}`;
const classRef = '  parametersRef:\n    group: gateway.envoyproxy.io\n    kind: EnvoyProxy\n    name: proxy\n    namespace: eg\n';
const proxy = (spec: string, name = 'proxy', ns = 'eg'): string =>
  `apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyProxy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${spec}`;
const gateway = (name: string, infra = ''): string =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\n  namespace: eg\nspec:\n  gatewayClassName: eg\n${infra}  listeners:\n  - name: http\n    protocol: HTTP\n    port: 80\n`;
const gwInfra = (name: string): string => `  infrastructure:\n    parametersRef:\n      group: gateway.envoyproxy.io\n      kind: EnvoyProxy\n      name: ${name}\n`;
const egConfig = (family: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: envoy-gateway-config\n  namespace: envoy-gateway-system\ndata:\n  envoy-gateway.yaml: |\n    apiVersion: gateway.envoyproxy.io/v1alpha1\n    kind: EnvoyGateway\n    provider:\n      type: Kubernetes\n    envoyProxy:\n      ipFamily: ${family}\n`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'envoyproxy/gateway e2e: EnvoyProxy ipFamily: DualStack named by a Gateway', yaml: DUAL },
    { name: 'ipFamily: IPv6', yaml: `${cls(classRef)}---\n${proxy('spec:\n  ipFamily: IPv6\n')}` },
    { name: 'unset ipFamily with mergeType: inherited from the less specific level', yaml: proxy('spec:\n  mergeType: StrategicMerge\n') },
    { name: 'a GatewayClass of another controller', yaml: cls().replace('gateway.envoyproxy.io/gatewayclass-controller', 'istio.io/gateway-controller') },
    {
      name: 'class without EnvoyProxy, but every Gateway of it names a DualStack EnvoyProxy',
      yaml: `${cls()}---\n${gateway('a', gwInfra('dual'))}---\n${proxy('spec:\n  ipFamily: DualStack\n', 'dual')}`,
    },
    { name: 'class without EnvoyProxy, EnvoyGateway configuration defaults to DualStack', yaml: `${cls()}---\n${egConfig('DualStack')}` },
    { name: 'quickstart on an IPv4-only target cluster', yaml: QUICKSTART, clusterFamilies: ['IPv4'] },
    { name: 'ipFamily: IPv4 on an IPv4-only target cluster', yaml: PINNED, clusterFamilies: ['IPv4'] },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'pinned', line: 19, includes: 'used by GatewayClass/eg' }] },
    {
      name: 'envoyproxy/gateway quickstart: GatewayClass eg names no EnvoyProxy',
      yaml: QUICKSTART, findings: [{ messageId: 'noProxy', line: 6, resource: 'GatewayClass/eg', includes: 'Gateway default/eg', fix: 'spec.parametersRef of GatewayClass eg' }],
    },
    {
      name: 'envoyproxy/gateway e2e: EnvoyProxy ipFamily: IPv4 named by Gateway eg-ds',
      yaml: PINNED, findings: [{ messageId: 'pinned', line: 27, resource: 'EnvoyProxy/gateway-conformance-infra/eg-ds', includes: 'Gateway/gateway-conformance-infra/eg-ds' }],
    },
    { name: 'ipFamily unset, no mergeType', yaml: `${cls(classRef)}---\n${proxy('spec:\n  logging:\n    level:\n      default: warn\n')}`, findings: [{ messageId: 'unset', line: 18 }] },
    { name: 'EnvoyProxy without spec', yaml: proxy(''), findings: [{ messageId: 'unset', line: 4 }] },
    {
      name: 'class without EnvoyProxy: only the Gateway without its own is named',
      yaml: `${cls()}---\n${gateway('a', gwInfra('dual'))}---\n${gateway('b')}---\n${proxy('spec:\n  ipFamily: DualStack\n', 'dual')}`,
      findings: [{ messageId: 'noProxy', line: 6, includes: 'cannot reach Gateway eg/b' }],
    },
    {
      name: 'class without EnvoyProxy, EnvoyGateway configuration says IPv4',
      yaml: `${cls()}---\n${egConfig('IPv4')}`, findings: [{ messageId: 'noProxy', line: 6, includes: 'envoyProxy.ipFamily: IPv4' }],
    },
    {
      name: 'a Gateway\'s EnvoyProxy without ipFamily replaces the class\'s DualStack one',
      yaml: `${cls(classRef)}---\n${proxy('spec:\n  ipFamily: DualStack\n')}---\n${gateway('a', gwInfra('own'))}---\n${proxy('spec:\n  provider:\n    type: Kubernetes\n', 'own')}`,
      findings: [{ messageId: 'unset', line: 43, resource: 'EnvoyProxy/eg/own', includes: 'used by Gateway/eg/a' }],
    },
  ],
});
