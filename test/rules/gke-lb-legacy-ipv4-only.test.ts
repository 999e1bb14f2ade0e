import rule from '../../src/rules/gke-lb-legacy-ipv4-only.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { lb } from '../helpers/gke.ts';
import { fixture } from '../helpers/yaml.ts';

const ILB = 'corpus/gke-samples/databases/elasticsearch/manifests/02-elasticsearch/ilb.yaml';
const HELLO = 'corpus/gke-samples/quickstarts/hello-app/manifests/helloweb-service-static-ip.yaml';

const DUAL = 'ipFamilyPolicy: PreferDualStack';
const RBS = { 'cloud.google.com/l4-rbs': 'enabled' };

ruleTester(rule, {
  valid: [
    { name: 'corpus: gke-samples elasticsearch internal LB, single-stack IPv4 (asks for no IPv6)', yaml: fixture(ILB) },
    { name: 'RBS NetLB', yaml: lb(RBS, DUAL) },
    { name: 'internal class', yaml: lb({}, `${DUAL}\nloadBalancerClass: networking.gke.io/l4-regional-internal`) },
    { name: 'single-stack Service does not ask for IPv6', yaml: lb({ 'cloud.google.com/neg': '{}' }, 'ipFamilyPolicy: SingleStack') },
    { name: 'another controller\'s class', yaml: lb({ 'cloud.google.com/neg': '{}' }, `${DUAL}\nloadBalancerClass: example.com/lb`) },
    { name: 'not on GKE', yaml: lb({}, DUAL) },
    { name: 'live: RBS finalizer', yaml: lb({ 'cloud.google.com/neg': '{}' }, DUAL, { meta: 'finalizers: [gke.networking.io/l4-netlb-v2]' }) },
  ],
  invalid: [
    { name: 'corpus: the same internal LB on an IPv6-primary cluster (IPv6 frontend): verify subsetting', yaml: fixture(ILB), clusterFamilies: ['IPv6', 'IPv4'],
      findings: [{ messageId: 'internalNoSubsetting', line: 21, severity: 'low' }] },
    { name: 'corpus: gke-samples helloweb LoadBalancer on an IPv6-primary cluster, no RBS: verify', yaml: fixture(HELLO), clusterFamilies: ['IPv6', 'IPv4'],
      findings: [{ messageId: 'externalNoRbs', line: 33, severity: 'low' }] },
    { name: 'legacy class', yaml: lb({}, `${DUAL}\nloadBalancerClass: networking.gke.io/l4-regional-internal-legacy`),
      findings: [{ messageId: 'legacyClass', line: 8, severity: 'high', includes: 'networking.gke.io/l4-regional-internal' }] },
    { name: 'live: target-pool finalizer', yaml: lb({ 'cloud.google.com/neg': '{}' }, DUAL, { meta: 'finalizers: [gke.networking.io/l4-netlb-v1]' }),
      findings: [{ messageId: 'legacyFinalizer', line: 5, severity: 'high', includes: 'target-pool' }] },
    { name: 'external without RBS: verify, low', yaml: lb({ 'cloud.google.com/neg': '{}' }, DUAL),
      findings: [{ messageId: 'externalNoRbs', line: 8, severity: 'low', includes: 'verify' }] },
    { name: 'internal by annotation: verify subsetting', yaml: lb({ 'networking.gke.io/load-balancer-type': 'Internal' }, DUAL),
      findings: [{ messageId: 'internalNoSubsetting', line: 6, severity: 'low', includes: 'verify' }] },
  ],
});
