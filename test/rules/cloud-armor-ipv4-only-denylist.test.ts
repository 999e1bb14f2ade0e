import rule from '../../src/rules/cloud-armor-ipv4-only-denylist.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { armor } from '../helpers/armor.ts';

const ALLOW_ALL = { action: 'allow', priority: 2147483647, ranges: ['*'] };

ruleTester(rule, {
  valid: [
    { name: 'deny list with both families', yaml: armor([{ action: 'deny(403)', priority: 1000, ranges: ['198.51.100.0/24', '2001:db8:bad::/48'] }, ALLOW_ALL]) },
    { name: 'default deny is the allow-list rule\'s case', yaml: armor([{ action: 'deny(403)', priority: 1000, ranges: ['198.51.100.0/24'] }, { action: 'deny(403)', priority: 2147483647, ranges: ['*'] }]) },
    { name: 'a preview deny rule is not enforced', yaml: armor([{ action: 'deny(403)', priority: 1000, ranges: ['198.51.100.0/24'], preview: true }, ALLOW_ALL]) },
    { name: 'deny everything with *', yaml: armor([{ action: 'deny(502)', priority: 1000, ranges: ['*'] }, ALLOW_ALL]) },
  ],
  invalid: [
    { name: 'IPv4-only deny list', yaml: armor([{ action: 'deny(403)', priority: 1000, ranges: ['198.51.100.0/24'] }, ALLOW_ALL]),
      findings: [{ messageId: 'bypass', line: 13, severity: 'high', includes: 'deny(403)' }] },
    { name: 'a throttle on * does not hide an IPv4-only deny list (issue 15)', yaml: armor([{ action: 'throttle', priority: 500, ranges: ['*'] }, { action: 'deny(403)', priority: 1000, ranges: ['198.51.100.0/24'] }, ALLOW_ALL]),
      findings: [{ messageId: 'bypass', line: 20, includes: 'deny(403) rules list only IPv4 ranges (198.51.100.0/24)' }] },
    { name: 'IPv4-only throttle, default rule absent', yaml: armor([{ action: 'throttle', priority: 100, ranges: ['192.0.2.0/24'] }, { action: 'rate_based_ban', priority: 200, ranges: ['198.51.100.7/32'] }]),
      findings: [{ messageId: 'bypass', line: 13, includes: 'throttle, rate_based_ban' }] },
  ],
});
