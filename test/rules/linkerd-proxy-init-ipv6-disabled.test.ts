import rule from '../../src/rules/linkerd-proxy-init-ipv6-disabled.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// Linkerd's own rendered output (its CLI golden files): `linkerd install` with the chart
// defaults (the linkerd-config ConfigMap with disableIPv6: true and the identity Deployment whose
// linkerd-init has --ipv6=false), and `linkerd install-cni` (its ConfigMap with "ipv6": false).
const INSTALL = fixture('corpus/linkerd2/cli/cmd/testdata/install_default.golden');
const CNI = fixture('corpus/linkerd2/cli/cmd/testdata/install-cni-plugin_default.golden');
const [CONFIG, IDENTITY] = INSTALL.split('\n---\n') as [string, string];
const pod = (init: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  initContainers:\n${init}  containers:\n  - name: app\n    image: app:1\n`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'corpus-derived: linkerd-config with disableIPv6: false', yaml: CONFIG.replace('disableIPv6: true', 'disableIPv6: false') },
    { name: 'corpus-derived: the identity Deployment without --ipv6=false', yaml: IDENTITY.replace('        - --ipv6=false\n', '') },
    { name: 'corpus-derived: linkerd-cni with "ipv6": true', yaml: CNI.replace('"ipv6": false', '"ipv6": true') },
    { name: '--ipv6=true is the default made explicit', yaml: pod('  - name: linkerd-init\n    image: cr.l5d.io/linkerd/proxy-init:v2.4.0\n    args: ["--ipv6=true"]\n') },
    { name: 'an unrelated init container with the same flag', yaml: pod('  - name: setup\n    image: busybox:1.36\n    args: ["--ipv6=false"]\n') },
    { name: 'another CNI configuration', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cni\ndata:\n  cni_network_config: \'{"type": "calico", "ipv6": false}\'\n' },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'initArg', line: 17, severity: 'high', resource: 'Deployment/shop/web' }] },
    {
      name: 'corpus: linkerd install output, one finding on linkerd-config for the Helm value (the identity Deployment is its consequence)',
      yaml: INSTALL,
      findings: [{ messageId: 'values', line: 56, resource: 'ConfigMap/linkerd/linkerd-config', includes: '1 pod template in the input carry it' }],
    },
    {
      name: 'corpus-derived: with linkerd-config in the input, a pod on a proxy-init before v2.3.0 is still its own finding',
      yaml: `${CONFIG}\n---\n${pod('  - name: linkerd-init\n    image: cr.l5d.io/linkerd/proxy-init:v2.2.4\n    args: ["--incoming-proxy-port", "4143"]\n')}`,
      findings: [{ messageId: 'values', line: 56, includes: 'no meshed pod template in the input yet' }, { messageId: 'initOld', line: 346 }],
    },
    {
      name: 'corpus-derived: the identity Deployment alone',
      yaml: IDENTITY,
      findings: [{ messageId: 'initArg', line: 268, includes: '--ipv6=false', fix: 'disableIPv6: false' }],
    },
    {
      name: 'corpus: linkerd install-cni output',
      yaml: CNI,
      findings: [{ messageId: 'cni', line: 31, resource: 'ConfigMap/linkerd-cni/linkerd-cni-config', includes: '"ipv6": false' }],
    },
    {
      name: 'corpus-derived: linkerd-cni before v1.4.0 has no "ipv6" key',
      yaml: CNI.replace(',\n        "ipv6": false', ''),
      findings: [{ messageId: 'cni', line: 22, includes: 'absent (read as false)' }],
    },
    {
      name: 'low on an IPv4-only cluster; Go boolean spelling',
      yaml: pod('  - name: linkerd-init\n    image: cr.l5d.io/linkerd/proxy-init:v2.4.0\n    args: ["--ipv6=F"]\n'),
      clusterFamilies: ['IPv4'],
      findings: [{ messageId: 'initArg', line: 10, severity: 'low' }],
    },
    {
      name: 'proxy-init before v2.3.0 has no IPv6 rules at all',
      yaml: pod('  - name: linkerd-init\n    image: cr.l5d.io/linkerd/proxy-init:v2.2.4\n    args: ["--incoming-proxy-port", "4143"]\n'),
      findings: [{ messageId: 'initOld', line: 9, includes: 'v2.2.4', fix: 'Upgrade Linkerd' }],
    },
  ],
});
