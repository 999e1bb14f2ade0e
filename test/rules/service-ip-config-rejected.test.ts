import rule from '../../src/rules/service-ip-config-rejected.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { svc } from '../helpers/yaml.ts';

ruleTester(rule, {
  valid: [
    { name: 'plain ClusterIP', yaml: svc('selector: {app: a}') },
    { name: 'PreferDualStack with two families', yaml: svc('ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv4, IPv6]\nselector: {app: a}') },
    { name: 'RequireDualStack on a dual-stack cluster', yaml: svc('ipFamilyPolicy: RequireDualStack\nselector: {app: a}') },
    { name: 'headless selectorless SingleStack IPv6 on an IPv4 cluster is accepted', yaml: svc('clusterIP: None\nipFamilyPolicy: SingleStack\nipFamilies: [IPv6]'), clusterFamilies: ['IPv4'] },
    { name: 'ExternalName without IP fields', yaml: svc('type: ExternalName\nexternalName: db.example.com') },
    { name: 'PreferDualStack on an IPv4 cluster (silently single, not rejected)', yaml: svc('ipFamilyPolicy: PreferDualStack\nselector: {app: a}'), clusterFamilies: ['IPv4'] },
  ],
  invalid: [
    { name: 'two ipFamilies without a policy', yaml: svc('selector: {app: a}\nipFamilies:\n- IPv4\n- IPv6'),
      findings: [{ messageId: 'rejected', line: 5, severity: 'critical', includes: 'spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple IP families are specified' }] },
    { name: 'RequireDualStack on a single-stack cluster', yaml: svc('selector: {app: a}\nipFamilyPolicy: RequireDualStack'), clusterFamilies: ['IPv4'],
      findings: [{ messageId: 'rejected', line: 7, includes: 'this cluster is not configured for dual-stack services' }] },
    { name: 'IPv6 family on an IPv4 cluster, at the list item', yaml: svc('selector: {app: a}\nipFamilyPolicy: PreferDualStack\nipFamilies:\n- IPv4\n- IPv6'), clusterFamilies: ['IPv4'],
      findings: [{ messageId: 'rejected', line: 10, includes: 'spec.ipFamilies[1]: Invalid value: "IPv6": not configured on this cluster' }] },
    { name: 'ExternalName with IP fields: three Forbidden errors', yaml: svc('type: ExternalName\nexternalName: db.example.com\nclusterIP: None\nipFamilies: [IPv4]\nipFamilyPolicy: SingleStack'),
      findings: [
        { messageId: 'rejected', line: 5, includes: 'spec.clusterIPs: Forbidden: may not be set for ExternalName services' },
        { messageId: 'rejected', line: 9, includes: 'spec.ipFamilies: Forbidden' },
        { messageId: 'rejected', line: 10, includes: 'spec.ipFamilyPolicy: Forbidden' },
      ] },
    { name: 'headless LoadBalancer', yaml: svc('type: LoadBalancer\nclusterIP: None\nselector: {app: a}'),
      findings: [{ messageId: 'rejected', line: 5, includes: "may not be set to 'None' for LoadBalancer services" }] },
    { name: 'clusterIPs in the wrong order for ipFamilies', yaml: svc('ipFamilyPolicy: PreferDualStack\nipFamilies: [IPv4, IPv6]\nclusterIP: fd00::10\nclusterIPs:\n- fd00::10\n- 10.96.0.10\nselector: {app: a}'),
      findings: [
        { messageId: 'rejected', line: 10, includes: 'spec.clusterIPs[0]: Invalid value: "fd00::10": expected an IPv4 value' },
        { messageId: 'rejected', line: 11, includes: 'spec.clusterIPs[1]' },
      ] },
    { name: 'externalIP in the loopback range', yaml: svc('selector: {app: a}\nexternalIPs:\n- 198.51.100.1\n- 127.0.0.1'),
      findings: [{ messageId: 'rejected', line: 9, includes: 'loopback' }] },
    { name: 'unsupported policy value', yaml: svc('selector: {app: a}\nipFamilyPolicy: DualStack'),
      findings: [{ messageId: 'rejected', line: 7, includes: 'Unsupported value: "DualStack"' }] },
  ],
});
