import rule from '../../src/rules/gke-ingress-ipv4-only-frontend.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';
import { GCE, ingress } from '../helpers/gke.ts';

const G = 'kubernetes.io/ingress.global-static-ip-name';
const negService = `---
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    cloud.google.com/neg: '{"ingress": true}'
spec:
  selector: {app: web}
  ports: [{port: 8080}]
`;

ruleTester(rule, {
  valid: [
    { name: 'twin Ingresses (IPv4 and IPv6 static addresses, k8s.io pattern)', yaml: `${ingress('web', { ...GCE, [G]: 'web-v4' })}---\n${ingress('web-v6', { ...GCE, [G]: 'web-v6' })}` },
    { name: 'nginx class is not GKE', yaml: ingress('web', { 'kubernetes.io/ingress.class': 'nginx' }) },
    { name: 'ingressClassName set: not ingress-gce', yaml: ingress('web', {}, { extraSpec: 'ingressClassName: nginx' }) },
    { name: 'class-less Ingress in an input that shows no GKE', yaml: fixture('corpus/gke-samples/networking/load-balancing/fanout-ingress.yaml') },
    { name: 'live: both families in status', yaml: ingress('web', GCE, { status: 'loadBalancer:\n  ingress: [{ip: 203.0.113.7}, {ip: "2001:db8::7"}]' }) },
  ],
  invalid: [
    { name: 'gce Ingress without a static address: ephemeral IPv4', yaml: ingress('web', GCE), findings: [{ messageId: 'ephemeral', line: 7, severity: 'medium' }] },
    { name: 'gce-internal: info', yaml: ingress('web', { 'kubernetes.io/ingress.class': 'gce-internal' }), findings: [{ messageId: 'ephemeral', line: 7, severity: 'info' }] },
    { name: 'one static name, no twin: low, verify', yaml: ingress('web', { ...GCE, [G]: 'web-ip' }), findings: [{ messageId: 'single', line: 8, severity: 'low', includes: 'verify' }] },
    { name: 'a v6-looking name is weak evidence', yaml: ingress('web', { ...GCE, [G]: 'web-ipv6' }), findings: [{ messageId: 'single', line: 8, includes: 'weak evidence' }] },
    { name: 'both static-IP annotations', yaml: ingress('web', { ...GCE, [G]: 'a', 'kubernetes.io/ingress.regional-static-ip-name': 'b' }), findings: [{ messageId: 'both', line: 8 }] },
    { name: 'live: IPv4 only in status', yaml: ingress('web', { ...GCE, [G]: 'web-ip' }, { status: 'loadBalancer:\n  ingress: [{ip: 203.0.113.7}]' }),
      findings: [{ messageId: 'liveSingle', line: 14, severity: 'medium', includes: 'IPv4 only' }] },
    { name: 'corpus: gke-samples basic-ingress-static (one global static address)', yaml: fixture('corpus/gke-samples/networking/load-balancing/basic-ingress-static.yaml'),
      findings: [{ messageId: 'single', line: 22, resource: 'Ingress/default/basic-ingress', includes: '"web-static-ip"' }] },
    { name: 'corpus: gke-samples helloweb static IP', yaml: fixture('corpus/gke-samples/quickstarts/hello-app/manifests/helloweb-ingress-static-ip.yaml'),
      findings: [{ messageId: 'single', line: 23, resource: 'Ingress/default/helloweb' }] },
    { name: 'corpus: gke-samples fanout Ingress next to a NEG Service (GKE): class-less means gce, ephemeral IPv4',
      yaml: `${fixture('corpus/gke-samples/networking/load-balancing/fanout-ingress.yaml')}${negService}`,
      findings: [{ messageId: 'ephemeral', line: 19, includes: 'by default' }] },
  ],
});
