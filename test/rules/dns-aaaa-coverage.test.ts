import rule from '../../src/rules/dns-aaaa-coverage.ts';
import { ruleTester, auditYaml } from '../helpers/rule-tester.ts';
import { svc } from '../helpers/yaml.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';

ruleTester(rule, {
  valid: [
    { name: 'dual-stack Service', yaml: svc('ipFamilyPolicy: PreferDualStack\nselector: {app: a}') },
    { name: 'IPv6 single-stack has AAAA', yaml: svc('ipFamilies: [IPv6]\nselector: {app: a}') },
    { name: 'headless selectorless is dual by default', yaml: svc('clusterIP: None') },
    { name: 'default/kubernetes is the apiserver\'s and always single-stack', yaml: svc('ports: [{port: 443}]', { name: 'kubernetes', namespace: 'default' }) },
    { name: 'ExternalName is a CNAME, reported apart', yaml: svc('type: ExternalName\nexternalName: db.example.com') },
  ],
  invalid: [
    { name: 'default SingleStack', yaml: svc('selector: {app: a}', { namespace: 'shop', name: 'api' }),
      findings: [{ messageId: 'noAAAA', line: 6, severity: 'medium', includes: 'api.shop.svc has no AAAA record: the Service is SingleStack [IPv4]' }] },
    { name: 'PreferDualStack on an IPv4 cluster stays single', yaml: svc('ipFamilyPolicy: PreferDualStack\nselector: {app: a}'), clusterFamilies: ['IPv4'],
      findings: [{ messageId: 'clusterSingle', line: 6, includes: 'only [IPv4] Service addresses' }] },
    { name: 'no policy on an IPv4-only target: the advice is the cluster, not PreferDualStack (issue 18)', yaml: svc('selector: {app: a}', { namespace: 'shop', name: 'api' }), clusterFamilies: ['IPv4'],
      findings: [{ messageId: 'clusterSingleUnset', line: 6, includes: 'cannot get one yet: the target cluster has only [IPv4] Service addresses' }] },
    { name: 'a stored PreferDualStack Service that stayed single on a dual-stack cluster',
      yaml: svc('ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv4]\nclusterIP: 10.96.0.7\nclusterIPs: [10.96.0.7]\nselector: {app: a}'), build: { live: {} },
      findings: [{ messageId: 'preferStaysSingle', line: 6, fix: 'RequireDualStack' }] },
  ],
});

test('the dns summary: coverage overall and per namespace, names without AAAA, ExternalName and default/kubernetes apart', async () => {
  const yaml = [
    svc('ipFamilyPolicy: PreferDualStack\nselector: {app: a}', { name: 'a', namespace: 'x' }),
    svc('selector: {app: b}', { name: 'b', namespace: 'x' }),
    svc('selector: {app: c}', { name: 'c', namespace: 'y' }),
    svc('type: ExternalName\nexternalName: db.example.com', { name: 'e', namespace: 'y' }),
    svc('ipFamilies: [IPv4, IPv6]\nselector: {app: r}', { name: 'rejected', namespace: 'y' }),
    svc('ports: [{port: 443}]', { name: 'kubernetes', namespace: 'default' }),
  ].join('---\n');
  const r = await auditYaml(yaml, [rule]);
  assert.equal(r.dns.services, 3);
  assert.equal(r.dns.withAAAA, 1);
  assert.equal(r.dns.coverage, 0.333);
  assert.equal(r.dns.externalName, 1);
  assert.deepEqual(r.dns.byNamespace, { x: { services: 2, withAAAA: 1 }, y: { services: 1, withAAAA: 0 } });
  assert.deepEqual(r.dns.withoutAAAA, ['b.x.svc', 'c.y.svc']);
  const e = r.services.find((s) => s.name === 'e')!;
  assert.deepEqual(e.dns, { A: false, AAAA: false, CNAME: 'db.example.com' });
});
