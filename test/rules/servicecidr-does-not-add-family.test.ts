import rule from '../../src/rules/servicecidr-does-not-add-family.ts';
import { ruleTester } from '../helpers/rule-tester.ts';

const sc = (name: string, cidrs: string, v = 'v1'): string => `apiVersion: networking.k8s.io/${v}\nkind: ServiceCIDR\nmetadata:\n  name: ${name}\nspec:\n  cidrs: [${cidrs}]\n`;

ruleTester(rule, {
  valid: [
    { name: 'extra IPv4 space on an IPv4 cluster', yaml: `${sc('kubernetes', '10.96.0.0/16')}---\n${sc('extra', '10.100.0.0/16')}` },
    { name: 'extra IPv6 space on a dual cluster', yaml: `${sc('kubernetes', '10.96.0.0/16, fd5e:1c7a:93d2::/112')}---\n${sc('extra', 'fd5e:1c7a:93d2:1::/112', 'v1beta1')}` },
    { name: 'the kubernetes ServiceCIDR itself is out of scope', yaml: sc('kubernetes', '10.96.0.0/16') },
    { name: 'no kubernetes ServiceCIDR: the target families decide', yaml: sc('extra', 'fd5e:1c7a:93d2:1::/112') },
  ],
  invalid: [
    { name: 'IPv6 ServiceCIDR on an IPv4-only cluster', yaml: `${sc('kubernetes', '10.96.0.0/16')}---\n${sc('extra-v6', 'fd5e:1c7a:93d2::/112', 'v1beta1')}`,
      findings: [{ messageId: 'noFamily', line: 13, severity: 'medium', resource: 'ServiceCIDR/extra-v6', includes: 'ServiceCIDR kubernetes' }] },
    { name: 'IPv6 ServiceCIDR with IPv4-only target families from the flag', yaml: sc('extra-v6', '10.100.0.0/16, fd5e:1c7a:93d2::/112'), clusterFamilies: ['IPv4'],
      findings: [{ messageId: 'noFamily', line: 6, includes: 'flag cluster families' }] },
  ],
});
