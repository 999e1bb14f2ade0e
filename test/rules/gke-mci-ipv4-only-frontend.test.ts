import rule from '../../src/rules/gke-mci-ipv4-only-frontend.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// Google's own MultiClusterIngress examples: kubernetes-engine-samples (no static-ip) and
// gke-networking-recipes (static-ip left as the placeholder x.x.x.x for the reserved IP).
const SAMPLE = fixture('corpus/gke-samples/networking/gke-multicluster-upgrade-mci/multicluster-manifests/mci.yaml');
const RECIPE = fixture('corpus/gke-networking-recipes/ingress/multi-cluster/mci-frontend-config/ingress.yaml');
const withStatic = (yaml: string, ip: string): string => yaml.replace('networking.gke.io/static-ip: x.x.x.x', `networking.gke.io/static-ip: "${ip}"`);
const twin = (yaml: string, ip: string): string => withStatic(yaml.split('\n---\n')[0]!, ip).replace('name: foobar-ingress', 'name: foobar-ingress-v6');

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'corpus-derived: the recipe with an IPv6 static address', yaml: withStatic(RECIPE, '2001:db8::35') },
    { name: 'corpus-derived: the recipe with an IPv4 address and an IPv6 twin of the same routes', yaml: `${withStatic(RECIPE, '203.0.113.5')}\n---\n${twin(RECIPE, '2001:db8::35')}` },
    {
      name: 'live: status.VIP is IPv6',
      yaml: `${SAMPLE}status:\n  VIP: "2600:1901:0:1::5"\n`,
    },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'ephemeral', line: 3, severity: 'medium' }] },
    { name: 'corpus: kubernetes-engine-samples MCI without static-ip', yaml: SAMPLE, findings: [{ messageId: 'ephemeral', line: 17, resource: 'MultiClusterIngress/default/whereami-mci' }] },
    { name: 'corpus: gke-networking-recipes MCI with the x.x.x.x placeholder', yaml: RECIPE, findings: [{ messageId: 'unreadable', line: 8, severity: 'low', includes: 'x.x.x.x' }] },
    { name: 'corpus-derived: the recipe with an IPv4 static address', yaml: withStatic(RECIPE, '203.0.113.5'), findings: [{ messageId: 'staticV4', line: 8, includes: '203.0.113.5' }] },
    {
      name: 'a twin with other routes is no twin',
      yaml: `${withStatic(RECIPE, '203.0.113.5')}\n---\n${twin(RECIPE, '2001:db8::35').replace('servicePort: 8080', 'servicePort: 9090')}`,
      findings: [{ messageId: 'staticV4', line: 8 }],
    },
    {
      name: 'live: status.VIP is IPv4',
      yaml: `${SAMPLE}status:\n  VIP: 35.201.75.57\n`,
      findings: [{ messageId: 'vipV4', line: 26, includes: '35.201.75.57' }],
    },
  ],
});
