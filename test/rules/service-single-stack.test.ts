import rule from '../../src/rules/service-single-stack.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { svc, fixture } from '../helpers/yaml.ts';

const gkeIngress = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations: {kubernetes.io/ingress.class: gce}\nspec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n';
const gkeGateway = (cls: string): string => `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  gatewayClassName: ${cls}\n  listeners: [{name: http, protocol: HTTP, port: 80}]\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  parentRefs: [{name: gw}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]\n`;

// svc(): apiVersion(1) kind(2) metadata(3) name(4) spec(5), spec lines from 6.
ruleTester(rule, {
  valid: [
    { name: 'PreferDualStack', yaml: svc('ipFamilyPolicy: PreferDualStack\nselector: {app: a}') },
    { name: 'RequireDualStack with both families', yaml: svc('ipFamilyPolicy: RequireDualStack\nipFamilies: [IPv6, IPv4]\nselector: {app: a}') },
    { name: 'PreferDualStack with only the primary listed', yaml: svc('ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv4]\nselector: {app: a}') },
    { name: 'headless selectorless becomes RequireDualStack by itself', yaml: svc('clusterIP: None\nports: [{port: 5432}]') },
    { name: 'default/kubernetes is the apiserver\'s', yaml: svc('ports: [{port: 443}]', { name: 'kubernetes', namespace: 'default' }) },
    { name: 'ExternalName is out of scope', yaml: svc('type: ExternalName\nexternalName: db.example.com') },
    { name: 'PreferDualStack on a single-stack cluster is ready for the migration', yaml: svc('ipFamilyPolicy: PreferDualStack\nselector: {app: a}'), clusterFamilies: ['IPv4'] },
    { name: 'a rejected Service is service-ip-config-rejected\'s', yaml: svc('ipFamilies: [IPv4, IPv6]\nselector: {app: a}') },
  ],
  invalid: [
    { name: 'policy unset', yaml: svc('selector: {app: a}'), findings: [{ messageId: 'defaulted', line: 5, severity: 'medium', includes: 'SingleStack [IPv4]' }] },
    { name: 'explicit SingleStack', yaml: svc('selector: {app: a}\nipFamilyPolicy: SingleStack'), findings: [{ messageId: 'pinned', line: 7, severity: 'medium' }] },
    { name: 'SingleStack IPv6 on an IPv6-primary cluster', yaml: svc('ipFamilies: [IPv6]\nselector: {app: a}'), clusterFamilies: ['IPv6', 'IPv4'],
      findings: [{ messageId: 'defaulted', line: 5, includes: 'no IPv4 address' }] },
    { name: 'LoadBalancer defaulted is high, at spec.type', yaml: svc('selector: {app: a}\ntype: LoadBalancer\nports: [{port: 443}]'),
      findings: [{ messageId: 'loadBalancer', line: 7, severity: 'high' }] },
    { name: 'headless with a selector gets no AAAA for its pods', yaml: svc('clusterIP: None\nselector: {app: db}'), findings: [{ messageId: 'defaulted', line: 5 }] },
    { name: 'single-stack cluster: reports what stays single after the migration', yaml: svc('selector: {app: a}', { namespace: 'shop' }), clusterFamilies: ['IPv4'],
      findings: [{ messageId: 'defaulted', line: 6, resource: 'Service/shop/web' }] },
    { name: 'two Services in one file', yaml: `${svc('selector: {app: a}', { name: 'a' })}---\n${svc('type: NodePort\nselector: {app: b}', { name: 'b' })}`,
      findings: [{ messageId: 'defaulted', line: 5, resource: 'Service/default/a' }, { messageId: 'defaulted', line: 12, resource: 'Service/default/b', includes: 'NodePort Service' }] },
    { name: 'backend of a GKE Ingress: low, the L7 proxy serves IPv6 clients', yaml: `${svc('type: NodePort\nselector: {app: a}')}---\n${gkeIngress}`,
      findings: [{ messageId: 'l7Backend', line: 5, severity: 'low', includes: 'Ingress/default/web (gce)' }] },
    { name: 'corpus: gke-samples helloweb NodePort backend of a static-IP GKE Ingress', yaml: fixture('corpus/gke-samples/quickstarts/hello-app/manifests/helloweb-ingress-static-ip.yaml'),
      findings: [{ messageId: 'l7Backend', line: 41, severity: 'low', resource: 'Service/default/helloweb-backend' }] },
    { name: 'backend of a gke-l7 Gateway route: low', yaml: `${svc('selector: {app: a}')}---\n${gkeGateway('gke-l7-global-external-managed')}`,
      findings: [{ messageId: 'l7Backend', line: 5, severity: 'low', includes: 'HTTPRoute/default/web' }] },
    { name: 'backend of a non-GKE Gateway route stays medium', yaml: `${svc('selector: {app: a}')}---\n${gkeGateway('istio')}`,
      findings: [{ messageId: 'defaulted', line: 5, severity: 'medium' }] },
    { name: 'corpus: ingress-nginx controller LoadBalancer pinned to SingleStack [IPv4]',
      yaml: fixture('corpus/ingress-nginx/deploy/static/provider/cloud/deploy.yaml'),
      findings: [
        { messageId: 'loadBalancerPinned', line: 16, severity: 'high', resource: 'Service/ingress-nginx/ingress-nginx-controller' },
        { messageId: 'defaulted', line: 45, severity: 'medium', resource: 'Service/ingress-nginx/ingress-nginx-controller-admission' },
      ] },
  ],
});
