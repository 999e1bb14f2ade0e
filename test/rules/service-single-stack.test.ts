import rule from '../../src/rules/service-single-stack.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { svc, fixture } from '../helpers/yaml.ts';

const gkeIngress = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations: {kubernetes.io/ingress.class: gce}\nspec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n';
const gkeGateway = (cls: string): string => `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  gatewayClassName: ${cls}\n  listeners: [{name: http, protocol: HTTP, port: 80}]\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web\nspec:\n  parentRefs: [{name: gw}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]\n`;

// The Envoy Service Envoy Gateway writes for Gateway default/eg, with the labels of
// envoyproxy/gateway internal/infrastructure/kubernetes/proxy/testdata/services/ipv4-singlestack.yaml:
// apiVersion(1) kind(2) metadata(3) name(4) namespace(5) labels(6-11) spec(12), spec lines from 13.
const EG_OWNER = 'gateway.envoyproxy.io/owning-gateway-name: eg\n  gateway.envoyproxy.io/owning-gateway-namespace: default';
const egSvc = (spec: string, owner = EG_OWNER, managedBy = 'envoy-gateway'): string => svc(spec, {
  name: 'envoy-default-eg-e41e7b31', namespace: 'envoy-gateway-system',
  meta: `labels:\n  app.kubernetes.io/component: proxy\n  app.kubernetes.io/managed-by: ${managedBy}\n  app.kubernetes.io/name: envoy\n  ${owner}`,
});
const EG_LB = 'type: LoadBalancer\nselector: {app.kubernetes.io/name: envoy}\nports: [{port: 80, targetPort: 10080}]';
const egClass = (params = ''): string => `apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: eg\nspec:\n  controllerName: gateway.envoyproxy.io/gatewayclass-controller\n${params}`;
const egGateway = (infra = ''): string => `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: eg\n  namespace: default\nspec:\n  gatewayClassName: eg\n${infra}  listeners: [{name: http, protocol: HTTP, port: 80}]\n`;
const egProxy = (name: string, ns: string, spec: string): string => `apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyProxy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec}`;
const proxyRef = (name: string, ns?: string, indent = '  '): string =>
  `${indent}parametersRef: {group: gateway.envoyproxy.io, kind: EnvoyProxy, name: ${name}${ns ? `, namespace: ${ns}` : ''}}\n`;

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
    { name: 'Envoy Gateway\'s Envoy Service of a DualStack EnvoyProxy (RequireDualStack)', yaml: egSvc(`${EG_LB}\nipFamilyPolicy: RequireDualStack\nipFamilies: [IPv4, IPv6]`) },
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
    // Envoy Gateway writes its Envoy Service from the EnvoyProxy: the finding names what to change, with no patch.
    { name: 'Envoy Gateway\'s Envoy Service: its GatewayClass names no EnvoyProxy', yaml: `${egSvc(EG_LB)}---\n${egClass()}---\n${egGateway()}`,
      findings: [{
        messageId: 'envoyGateway', line: 13, severity: 'high', resource: 'Service/envoy-gateway-system/envoy-default-eg-e41e7b31',
        includes: 'LoadBalancer Service is written by Envoy Gateway for Gateway default/eg and gets SingleStack [IPv4] from GatewayClass eg, which names no EnvoyProxy, so it has no IPv6 address',
        fix: 'Set spec.ipFamily: DualStack in an EnvoyProxy named in spec.parametersRef of GatewayClass eg, not in the Service',
      }] },
    { name: 'Envoy Gateway\'s Envoy Service as stored: SingleStack [IPv4], at spec.ipFamilyPolicy',
      yaml: `${egSvc(`${EG_LB}\nipFamilyPolicy: SingleStack\nipFamilies: [IPv4]`)}---\n${egClass(proxyRef('proxy', 'eg'))}---\n${egGateway()}---\n${egProxy('proxy', 'eg', '  ipFamily: IPv4\n')}`,
      findings: [{ messageId: 'envoyGateway', line: 16, severity: 'high', includes: 'from EnvoyProxy eg/proxy', fix: 'in EnvoyProxy eg/proxy' }] },
    { name: 'Envoy Gateway\'s Envoy Service: the Gateway\'s own EnvoyProxy decides',
      yaml: `${egSvc(EG_LB)}---\n${egClass(proxyRef('proxy', 'eg'))}---\n${egGateway(`  infrastructure:\n${proxyRef('own', undefined, '    ')}`)}---\n${egProxy('own', 'default', '  provider: {type: Kubernetes}\n')}`,
      findings: [{ messageId: 'envoyGateway', line: 13, includes: 'from EnvoyProxy default/own', fix: 'in EnvoyProxy default/own' }] },
    { name: 'Envoy Gateway\'s Envoy Service: a Gateway EnvoyProxy with mergeType and no ipFamily leaves it to the class\'s',
      yaml: `${egSvc(EG_LB)}---\n${egClass(proxyRef('proxy', 'eg'))}---\n${egGateway(`  infrastructure:\n${proxyRef('own', undefined, '    ')}`)}---\n${egProxy('own', 'default', '  mergeType: StrategicMerge\n')}---\n${egProxy('proxy', 'eg', '  ipFamily: IPv4\n')}`,
      findings: [{ messageId: 'envoyGateway', line: 13, includes: 'from EnvoyProxy eg/proxy' }] },
    { name: 'Envoy Gateway\'s Envoy Service without its Gateway in the input', yaml: egSvc(EG_LB),
      findings: [{ messageId: 'envoyGateway', line: 13, includes: 'from the EnvoyProxy of Gateway default/eg', fix: 'in the EnvoyProxy of Gateway default/eg' }] },
    { name: 'Envoy Gateway\'s Envoy Service of merged Gateways (owning-gatewayclass)',
      yaml: `${egSvc(EG_LB, 'gateway.envoyproxy.io/owning-gatewayclass: eg')}---\n${egClass(proxyRef('proxy', 'eg'))}`,
      findings: [{ messageId: 'envoyGateway', line: 12, includes: 'for GatewayClass eg and gets SingleStack [IPv4] from EnvoyProxy eg/proxy' }] },
    { name: 'Envoy Gateway\'s Envoy Service of an IPv6 EnvoyProxy: SingleStack [IPv6] is low, as any explicit IPv6-only Service',
      yaml: egSvc(`${EG_LB}\nipFamilyPolicy: SingleStack\nipFamilies: [IPv6]`),
      findings: [{ messageId: 'envoyGateway', line: 16, severity: 'low', includes: 'SingleStack [IPv6]' }] },
    { name: 'managed-by envoy-gateway without the owning labels (its rate limit Service) is any Service',
      yaml: egSvc('selector: {app: ratelimit}', 'app.kubernetes.io/part-of: envoy-gateway'),
      findings: [{ messageId: 'defaulted', line: 11 }] },
    { name: 'owning labels without managed-by envoy-gateway: not Envoy Gateway\'s (ownedByGateway)',
      yaml: egSvc('selector: {app: a}', EG_OWNER, 'helm'),
      findings: [{ messageId: 'defaulted', line: 12 }] },
  ],
});
