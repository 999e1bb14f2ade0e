import rule from '../../src/rules/ingress-nginx-ipv6-disabled.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// No ingress-nginx ConfigMap in the shared corpus sets these keys; the controller ConfigMap that
// kind ships (labels, name, `data: null`) is the valid case and the base of one invalid case.
const KIND_CM = fixture('corpus/kind/site/static/examples/ingress/deploy-ingress-nginx.yaml');
const cm = (data: string, meta = '  name: ingress-nginx-controller\n  namespace: ingress-nginx\n'): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n${meta}data:\n${data}\n`;
const controller = (flag: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ctrl\n  namespace: edge\nspec:\n  selector: {matchLabels: {app: c}}\n  template:\n    metadata: {labels: {app: c}}\n    spec:\n      containers:\n      - name: controller\n        image: registry.k8s.io/ingress-nginx/controller:v1.12.0\n        args: [/nginx-ingress-controller, ${flag}]\n`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'corpus: the ingress-nginx controller ConfigMap kind ships (data: null)', yaml: KIND_CM },
    { name: 'explicit false', yaml: cm('  disable-ipv6: "false"\n  disable-ipv6-dns: "false"') },
    { name: 'an unrelated ConfigMap with the same key', yaml: cm('  disable-ipv6: "true"', '  name: my-app\n') },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'listen', line: 7 }] },
    {
      name: 'corpus-derived: kind\'s controller ConfigMap with disable-ipv6 set',
      yaml: KIND_CM.replace('data: null', 'data:\n  disable-ipv6: "true"'),
      findings: [{ messageId: 'listen', line: 3, resource: 'ConfigMap/ingress-nginx/ingress-nginx-controller' }],
    },
    {
      name: 'disable-ipv6 and disable-ipv6-dns on the usual name',
      yaml: cm('  disable-ipv6: "true"\n  disable-ipv6-dns: "True"'),
      findings: [{ messageId: 'listen', line: 7, severity: 'medium' }, { messageId: 'dns', line: 8 }],
    },
    {
      name: 'ConfigMap named by the controller\'s --configmap flag',
      yaml: `${controller('--configmap=$(POD_NAMESPACE)/edge-config')}---\n${cm('  disable-ipv6: "1"', '  name: edge-config\n  namespace: edge\n')}`,
      findings: [{ messageId: 'listen', line: 22 }],
    },
    {
      name: 'labelled app.kubernetes.io/name: ingress-nginx',
      yaml: cm('  disable-ipv6-dns: "true"', '  name: custom\n  labels: {app.kubernetes.io/name: ingress-nginx}\n'),
      findings: [{ messageId: 'dns', line: 7 }],
    },
  ],
});
