import rule from '../../src/rules/fqdn-policy-schema-mismatch.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const SAMPLES = 'corpus/gke-fqdnnetworkpolicies/config/samples';
const fq = (apiVersion: string, egress: string, meta = ''): string =>
  `apiVersion: ${apiVersion}\nkind: FQDNNetworkPolicy\nmetadata:\n  name: f${meta}\nspec:\n  podSelector: {}\n  egress:\n${egress}\n`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'corpus: gke-samples managed v1alpha1 matches[]', yaml: fixture('corpus/gke-samples/ai-ml/anthropic-agent-sandbox/deploy/base/fqdn-egress.yaml') },
    { name: 'corpus: gke-fqdnnetworkpolicies v1alpha3 to[].fqdns', yaml: fixture(`${SAMPLES}/networking_v1alpha3_fqdnnetworkpolicy_valid.yaml`) },
    { name: 'corpus: gke-fqdnnetworkpolicies v1alpha3 ingress from[].fqdns', yaml: fixture(`${SAMPLES}/networking_v1alpha3_fqdnnetworkpolicy_valid_ingress.yaml`) },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'ossOnManaged', line: 9 }] },
    {
      name: 'OSS to[].fqdns under the managed apiVersion',
      yaml: fq('networking.gke.io/v1alpha1', '  - to:\n    - fqdns: [github.com]'),
      findings: [{ messageId: 'ossOnManaged', line: 9, severity: 'medium' }],
    },
    {
      name: 'managed matches[] under the OSS apiVersion',
      yaml: fq('networking.gke.io/v1alpha3', '  - matches:\n    - name: github.com'),
      findings: [{ messageId: 'managedOnOss', line: 8 }],
    },
    {
      name: 'the OSS aaaa-lookups annotation on a managed policy',
      yaml: fq('networking.gke.io/v1alpha1', '  - matches:\n    - name: github.com', '\n  annotations:\n    fqdnnetworkpolicies.networking.gke.io/aaaa-lookups: skip'),
      findings: [{ messageId: 'annotationOnManaged', line: 6, severity: 'low' }],
    },
    {
      name: 'ingress rules are OSS-only',
      yaml: 'apiVersion: networking.gke.io/v1alpha1\nkind: FQDNNetworkPolicy\nmetadata: {name: f}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - fqdns: [example.com]\n',
      findings: [{ messageId: 'ossOnManaged', line: 7 }],
    },
    {
      name: 'an apiVersion neither controller serves',
      yaml: fq('networking.gke.io/v1beta1', '  - matches:\n    - name: github.com'),
      findings: [{ messageId: 'unknownVersion', line: 1, severity: 'low' }],
    },
  ],
});
