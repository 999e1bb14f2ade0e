import rule from '../../src/rules/external-dns-aaaa-disabled.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { svc } from '../helpers/yaml.ts';

/** An external-dns Deployment; `args` items start at line 15. */
const deploy = (args: readonly string[], image = 'registry.k8s.io/external-dns/external-dns:v0.14.2'): string => [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: external-dns',
  '  namespace: external-dns',
  'spec:',
  '  selector: {matchLabels: {app: external-dns}}',
  '  template:',
  '    metadata: {labels: {app: external-dns}}',
  '    spec:',
  '      containers:',
  '      - name: external-dns',
  `        image: ${image}`,
  '        args:',
  ...args.map((a) => `        - ${a}`),
  '',
].join('\n');
const LB_DUAL = svc('type: LoadBalancer\nipFamilyPolicy: PreferDualStack\nselector: {app: web}\nports: [{port: 443}]', { name: 'web', namespace: 'shop' });
const LB_SINGLE = svc('type: LoadBalancer\nselector: {app: web}\nports: [{port: 443}]', { name: 'web', namespace: 'shop' });
const INGRESS = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: shop, namespace: shop}\nspec:\n  rules: [{host: shop.example.com}]\n';

ruleTester(rule, {
  valid: [
    { name: 'AAAA managed', yaml: deploy(['--source=service', '--provider=google', '--managed-record-types=A', '--managed-record-types=AAAA']) + '---\n' + LB_DUAL },
    { name: 'comma list with AAAA, separate value form', yaml: deploy(['--managed-record-types', 'A,AAAA,CNAME']) + '---\n' + LB_DUAL },
    { name: 'flag absent: the version default is not judged', yaml: deploy(['--source=ingress', '--provider=aws']) + '---\n' + INGRESS },
    { name: 'not external-dns', yaml: deploy(['--managed-record-types=A'], 'example.com/not-dns:v1.0.0') },
  ],
  invalid: [
    { name: 'A and CNAME only, next to a dual-stack LoadBalancer', yaml: deploy(['--source=service', '--provider=google', '--managed-record-types=A', '--managed-record-types=CNAME']) + '---\n' + LB_DUAL,
      findings: [{ messageId: 'noAAAA', line: 17, severity: 'medium', includes: 'manages only A, CNAME records (--managed-record-types): Service/shop/web get no AAAA' }] },
    { name: 'Ingress source with an Ingress on a dual-stack cluster', yaml: deploy(['--source=ingress', '--managed-record-types', 'A']) + '---\n' + INGRESS,
      findings: [{ messageId: 'noAAAA', line: 16, severity: 'medium', includes: 'Ingress/shop/shop' }] },
    { name: 'single-stack LoadBalancer only: low', yaml: deploy(['--source=service', '--managed-record-types=A']) + '---\n' + LB_SINGLE,
      findings: [{ messageId: 'noAAAA', line: 16, severity: 'low', includes: 'none in the input yet' }] },
    { name: 'service source ignores Ingresses', yaml: deploy(['--source=service', '--managed-record-types=A']) + '---\n' + INGRESS,
      findings: [{ messageId: 'noAAAA', line: 16, severity: 'low' }] },
    { name: 'an image before AAAA support', yaml: deploy(['--source=service'], 'registry.k8s.io/external-dns/external-dns:v0.12.2') + '---\n' + LB_DUAL,
      findings: [{ messageId: 'oldVersion', line: 13, severity: 'low', includes: 'external-dns v0.12.2 predates AAAA support' }] },
  ],
});
