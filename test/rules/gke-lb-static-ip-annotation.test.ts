import rule from '../../src/rules/gke-lb-static-ip-annotation.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { lb } from '../helpers/gke.ts';
import { fixture } from '../helpers/yaml.ts';

const A = 'networking.gke.io/load-balancer-ip-addresses';
const DUAL = 'ipFamilyPolicy: RequireDualStack\nipFamilies: [IPv4, IPv6]';

ruleTester(rule, {
  valid: [
    { name: 'corpus: gke-samples helloweb names one address on a single-stack Service', yaml: fixture('corpus/gke-samples/quickstarts/hello-app/manifests/helloweb-service-static-ip.yaml') },
    { name: 'one name per family', yaml: lb({ [A]: 'web-v4,web-v6' }, DUAL) },
    { name: 'IPv4 loadBalancerIP on a single-stack GKE Service', yaml: lb({ 'cloud.google.com/l4-rbs': 'enabled' }, 'loadBalancerIP: 203.0.113.9') },
    { name: 'no annotation, no loadBalancerIP', yaml: lb({ 'cloud.google.com/l4-rbs': 'enabled' }, DUAL) },
  ],
  invalid: [
    { name: 'three names', yaml: lb({ [A]: 'a,b,c' }, DUAL), findings: [{ messageId: 'extra', line: 6, includes: 'c ignored' }] },
    { name: 'empty name', yaml: lb({ [A]: 'a,,b' }, DUAL), findings: [{ messageId: 'empty', line: 6 }] },
    { name: 'an IP instead of a name', yaml: lb({ [A]: '203.0.113.9,web-v6' }, DUAL), findings: [{ messageId: 'literal', line: 6 }] },
    { name: 'IPv6 loadBalancerIP is never used', yaml: lb({ 'cloud.google.com/l4-rbs': 'enabled' }, `${DUAL}\nloadBalancerIP: "2001:db8::9"`),
      findings: [{ messageId: 'ipv6LoadBalancerIP', line: 11 }] },
    { name: 'both set', yaml: lb({ [A]: 'web-v4,web-v6' }, 'loadBalancerIP: 203.0.113.9\nipFamilyPolicy: PreferDualStack'), findings: [{ messageId: 'mixed', line: 9 }] },
    { name: 'dual-stack naming one address: info', yaml: lb({ [A]: 'web-v4' }, DUAL), findings: [{ messageId: 'oneFamily', line: 6, severity: 'info', includes: 'verify' }] },
  ],
});
