import rule from '../../src/rules/cloud-armor-ipv4-only-allowlist.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { armor } from '../helpers/armor.ts';

const DENY_ALL = { action: 'deny(403)', priority: 2147483647, ranges: ['*'] };

ruleTester(rule, {
  valid: [
    { name: 'allow list with IPv4 and IPv6 ranges', yaml: armor([{ action: 'allow', priority: 1000, ranges: ['203.0.113.0/24', '2001:db8:100::/48'] }, DENY_ALL]) },
    { name: 'IPv6 in a separate allow rule', yaml: armor([{ action: 'allow', priority: 1000, ranges: ['203.0.113.0/24'] }, { action: 'allow', priority: 1001, ranges: ['2001:db8:100::/48'] }, DENY_ALL]) },
    { name: 'default allow (no default rule in the input)', yaml: armor([{ action: 'allow', priority: 1000, ranges: ['203.0.113.0/24'] }]) },
    { name: 'an allow rule on another criterion', yaml: armor([{ action: 'allow', priority: 1000, ranges: ['203.0.113.0/24'] }, { action: 'allow', priority: 1001, expr: "origin.region_code == 'CH'" }, DENY_ALL]) },
  ],
  invalid: [
    { name: 'IPv4-only allow list, default deny', yaml: armor([{ action: 'allow', priority: 1000, ranges: ['203.0.113.0/24'] }, DENY_ALL]),
      findings: [{ messageId: 'blocked', line: 13, severity: 'high', includes: '203.0.113.0/24' }] },
    { name: 'the IPv6 rule is only in preview', yaml: armor([{ action: 'allow', priority: 1000, ranges: ['203.0.113.0/24'] }, { action: 'allow', priority: 1001, ranges: ['2001:db8::/32'], preview: true }, DENY_ALL]),
      findings: [{ messageId: 'blocked', line: 13 }] },
    { name: 'CEL inIpRange with IPv4 literals', yaml: armor([{ action: 'allow', priority: 1000, expr: "inIpRange(origin.ip, '203.0.113.0/24') || inIpRange(origin.ip, '198.51.100.0/24')" }, DENY_ALL]),
      findings: [{ messageId: 'blocked', line: 11, includes: '198.51.100.0/24' }] },
  ],
});
