import rule from '../../src/rules/cloud-armor-ipv6-unverified.ts';
import { ruleTester } from '../helpers/rule-tester.ts';

// No BackendConfig or GCPBackendPolicy with a securityPolicy in the shared corpus: shapes follow
// gke-networking-recipes (ingress-cloudarmor, gcpbackendpolicies CRD), SEMANTICS-FRONTENDS.md section 3.
const bc = (spec: string): string => `apiVersion: cloud.google.com/v1\nkind: BackendConfig\nmetadata:\n  name: web\nspec:\n${spec}\n`;
const svc = (policy: string, annotation = 'cloud.google.com/backend-config'): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    ${annotation}: '{"ports": {"80": "web"}}'\nspec:\n${policy}  selector: {app: web}\n  ports: [{port: 80}]\n`;
const ARMOR = bc('  securityPolicy:\n    name: corp-allowlist');

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'BackendConfig without securityPolicy', yaml: `${bc('  timeoutSec: 40')}---\n${svc('  ipFamilyPolicy: PreferDualStack\n')}` },
    { name: 'policy in front of a single-stack IPv4 Service', yaml: `${ARMOR}---\n${svc('')}` },
    { name: 'Service not in the input on an IPv4-only cluster', yaml: ARMOR, clusterFamilies: ['IPv4'] },
    { name: 'the policy is in the input as a ComputeSecurityPolicy: judged by the cloud-armor-ipv4-only rules instead',
      yaml: `${ARMOR}---\n${svc('  ipFamilyPolicy: PreferDualStack\n')}---\napiVersion: compute.cnrm.cloud.google.com/v1beta1\nkind: ComputeSecurityPolicy\nmetadata:\n  name: corp-allowlist\nspec:\n  rule: []\n` },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'unverified', line: 7 }] },
    {
      name: 'BackendConfig securityPolicy used by a PreferDualStack Service',
      yaml: `${ARMOR}---\n${svc('  ipFamilyPolicy: PreferDualStack\n')}`,
      findings: [{ messageId: 'unverified', line: 7, severity: 'info', includes: 'Service/default/web' }],
    },
    {
      name: 'the beta annotation, Service pinned to IPv6',
      yaml: `${ARMOR}---\n${svc('  ipFamilies: [IPv6]\n', 'beta.cloud.google.com/backend-config')}`,
      findings: [{ messageId: 'unverified', line: 7 }],
    },
    {
      name: 'GCPBackendPolicy whose target Service is not in the input',
      yaml: 'apiVersion: networking.gke.io/v1\nkind: GCPBackendPolicy\nmetadata:\n  name: store\nspec:\n  default:\n    securityPolicy: edge-policy\n  targetRef:\n    group: ""\n    kind: Service\n    name: store-v1\n',
      findings: [{ messageId: 'unverifiedUnknownService', line: 7, includes: 'Service store-v1' }],
    },
  ],
});
