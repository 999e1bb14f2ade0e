import rule from '../../src/rules/fqdn-policy-aaaa-disabled.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

const SAMPLES = 'corpus/gke-fqdnnetworkpolicies/config/samples';
const oss = (annotation: string, apiVersion = 'networking.gke.io/v1alpha3'): string =>
  `apiVersion: ${apiVersion}\nkind: FQDNNetworkPolicy\nmetadata:\n  name: f\n  annotations:\n    ${annotation}\nspec:\n  podSelector: {}\n  egress:\n  - to:\n    - fqdns: [github.com]\n`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'corpus: gke-fqdnnetworkpolicies valid sample (AAAA looked up)', yaml: fixture(`${SAMPLES}/networking_v1alpha3_fqdnnetworkpolicy_valid.yaml`) },
    { name: 'corpus: gke-samples managed v1alpha1 policy', yaml: fixture('corpus/gke-samples/ai-ml/anthropic-agent-sandbox/deploy/base/fqdn-egress.yaml') },
    { name: 'another value than "skip" is ignored by the controller', yaml: oss('fqdnnetworkpolicies.networking.gke.io/aaaa-lookups: "Skip"') },
    { name: 'the managed product ignores the annotation (schema-mismatch reports it)', yaml: oss('fqdnnetworkpolicies.networking.gke.io/aaaa-lookups: skip', 'networking.gke.io/v1alpha1') },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'skipped', line: 6 }] },
    {
      name: 'corpus: gke-fqdnnetworkpolicies aaaalookupsskipped sample',
      yaml: fixture(`${SAMPLES}/networking_v1alpha3_fqdnnetworkpolicy_valid_aaaalookupsskipped.yaml`),
      findings: [{ messageId: 'skipped', line: 20, severity: 'high' }],
    },
    {
      name: 'skip on an OSS policy whose pods are in the input',
      yaml: `apiVersion: v1\nkind: Pod\nmetadata: {name: api, labels: {app: api}}\nspec:\n  containers: [{name: c, image: x}]\n---\n${oss('fqdnnetworkpolicies.networking.gke.io/aaaa-lookups: skip')}`,
      findings: [{ messageId: 'skipped', line: 12, includes: 'Pod/default/api' }],
    },
  ],
});
