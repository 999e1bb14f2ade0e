import rule from '../../src/rules/istio-dual-stack-disabled.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// Real files (fixtures/SOURCES.md): Istio's own IstioOperator samples, and the istiod Deployment
// istioctl renders for the default profile (its manifest-generate golden output).
const LOKI = fixture('corpus/istio/samples/open-telemetry/loki/iop.yaml');
const REMOTE = fixture('corpus/istio/operator/cmd/mesh/testdata/manifest-generate/input/istiod_remote_ipv6.yaml');
const ISTIOD = fixture('vendors/istio/operator/cmd/mesh/testdata/manifest-generate/output/pilot_default.golden.yaml');

const iop = (spec: string): string => `apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec:\n${spec}`;
const on = '  meshConfig:\n    defaultConfig:\n      proxyMetadata:\n        ISTIO_DUAL_STACK: "true"\n  values:\n    pilot:\n      env:\n        ISTIO_DUAL_STACK: "true"\n';

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'both set, as Istio\'s dual-stack page shows', yaml: iop(on) },
    { name: 'Go boolean forms', yaml: iop(on.replace(/"true"/g, 'True')) },
    { name: 'the empty profile installs nothing', yaml: iop('  profile: empty\n') },
    { name: 'istio sample on a single-stack target', yaml: LOKI, clusterFamilies: ['IPv4'] },
    { name: 'istio sample on an IPv6-only target', yaml: LOKI, clusterFamilies: ['IPv6'] },
    { name: 'istiod with ISTIO_DUAL_STACK=true', yaml: ISTIOD.replace('        - name: PILOT_ENABLE_ANALYSIS', '        - name: ISTIO_DUAL_STACK\n          value: "true"\n        - name: PILOT_ENABLE_ANALYSIS') },
    { name: 'remote profile with the proxies\' setting', yaml: iop('  profile: remote\n  meshConfig:\n    defaultConfig:\n      proxyMetadata:\n        ISTIO_DUAL_STACK: "1"\n') },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'operator', line: 6, includes: 'values.pilot.env ISTIO_DUAL_STACK unset, so false; meshConfig.defaultConfig.proxyMetadata ISTIO_DUAL_STACK unset' }] },
    {
      name: 'istio samples: the loki IstioOperator (default profile) sets neither',
      yaml: LOKI, findings: [{ messageId: 'operator', line: 3, includes: 'IPv6 clients of the Istio gateways are refused; sidecars redirect one family only' }],
    },
    {
      name: 'istio testdata: remote profile, no local istiod: the proxies only',
      yaml: REMOTE, findings: [{ messageId: 'operator', line: 3, includes: 'proxyMetadata ISTIO_DUAL_STACK unset, so false): sidecars redirect one family only' }],
    },
    { name: 'istio golden output: istiod without ISTIO_DUAL_STACK', yaml: ISTIOD, findings: [{ messageId: 'istiod', line: 57, resource: 'Deployment/istio-system/istiod', includes: 'container discovery' }] },
    { name: 'written false', yaml: iop(on.replace('ISTIO_DUAL_STACK: "true"\n  values', 'ISTIO_DUAL_STACK: "false"\n  values')), findings: [{ messageId: 'operator', line: 7, includes: 'proxyMetadata ISTIO_DUAL_STACK "false"' }] },
    { name: 'pilot disabled: the proxies only', yaml: iop('  components:\n    pilot:\n      enabled: false\n'), findings: [{ messageId: 'operator', line: 3 }] },
  ],
});
