import rule from '../../src/rules/service-prefer-dual-stack-stale.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture, svc } from '../helpers/yaml.ts';

const live = { live: {} };
const STATE = 'corpus/cilium/test/controlplane/services/dualstack/v1.26/state1.yaml';

ruleTester(rule, {
  valid: [
    { name: 'corpus: RequireDualStack echo and SingleStack kubernetes Services', yaml: fixture(STATE), build: live },
    { name: 'PreferDualStack that got both families', yaml: svc('ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv4, IPv6]\nclusterIP: 10.96.0.7\nclusterIPs: [10.96.0.7, "fd00::7"]\nselector: {app: a}'), build: live },
    { name: 'offline: a manifest cannot show it', yaml: svc('ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv4]\nselector: {app: a}') },
  ],
  invalid: [
    { name: 'stale PreferDualStack on a dual-stack cluster', yaml: svc('ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv4]\nclusterIP: 10.96.0.7\nclusterIPs: [10.96.0.7]\nselector: {app: a}'), build: live,
      findings: [{ messageId: 'stale', line: 7, severity: 'medium', fix: 'Add IPv6 to spec.ipFamilies' }] },
    { name: 'single-stack cluster: will stay single after the conversion', yaml: svc('ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv4]\nclusterIP: 10.96.0.7\nclusterIPs: [10.96.0.7]\nselector: {app: a}'),
      build: live, clusterFamilies: ['IPv4'], findings: [{ messageId: 'willStay', line: 7, severity: 'low' }] },
    { name: 'planted next to the corpus Services', yaml: `${fixture(STATE)}---\n${svc('ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv6]\nclusterIP: "fd00::9"\nclusterIPs: ["fd00::9"]\nselector: {app: a}', { name: 'v6' })}`,
      build: live, clusterFamilies: ['IPv6', 'IPv4'], findings: [{ messageId: 'stale', line: 193, resource: 'Service/default/v6', includes: 'has only [IPv6]' }] },
  ],
});
