import rule from '../../src/rules/contour-envoy-listener-ipv4.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';

// Real files (fixtures/SOURCES.md): Contour's example Deployment (contour serve without listener
// address flags) and the ContourDeployments of Contour's deploy-options page.
const DEPLOYMENT = fixture('corpus/contour/examples/contour/03-contour.yaml');
const CONTOUR_DEPLOYMENTS = fixture('vendors/contour/site/content/docs/main/deploy-options/contourdeployments.yaml');

const serve = (args: string[], image = 'ghcr.io/projectcontour/contour:v1.33.0', command = '["contour"]'): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: contour\n  namespace: projectcontour\nspec:\n  selector:\n    matchLabels: {app: contour}\n  template:\n    metadata:\n      labels: {app: contour}\n    spec:\n      containers:\n      - name: contour\n        image: ${image}\n        command: ${command}\n        args:\n${args.map((a) => `        - ${a}\n`).join('')}`;
const config = (envoy: string): string =>
  `apiVersion: projectcontour.io/v1alpha1\nkind: ContourConfiguration\nmetadata:\n  name: contour\n  namespace: projectcontour\nspec:\n  envoy:\n${envoy}`;

ruleTester(rule, {
  valid: [
    { name: 'docs: the good example', yaml: rule.meta.docs.good },
    { name: 'flags as separate arguments', yaml: serve(['serve', '--envoy-service-http-address', '"::"', '--envoy-service-https-address', '"::"']) },
    { name: 'a named ContourConfiguration replaces the flags (judged on its own)', yaml: serve(['serve', '--contour-config-name=contour']) },
    { name: 'ContourConfiguration with both listeners on ::', yaml: config('    http:\n      address: "::"\n    https:\n      address: "::"\n') },
    { name: 'contour certgen is not serve', yaml: serve(['certgen', '--kube', '--incluster']) },
    { name: 'another image running serve', yaml: serve(['serve'], 'example.com/other:1.0', '["/bin/other"]') },
    { name: 'Contour\'s example Deployment on an IPv4-only target cluster', yaml: DEPLOYMENT, clusterFamilies: ['IPv4'] },
  ],
  invalid: [
    { name: 'docs: the bad example', yaml: rule.meta.docs.bad, findings: [{ messageId: 'listeners', line: 19, includes: 'HTTP (0.0.0.0 by default) and HTTPS (0.0.0.0 by default) listeners' }] },
    {
      name: 'projectcontour/contour example Deployment: serve without listener address flags',
      yaml: DEPLOYMENT, findings: [{ messageId: 'listeners', line: 38, resource: 'Deployment/projectcontour/contour', includes: 'contour serve (container contour)' }],
    },
    {
      name: 'projectcontour/contour deploy-options: ContourDeployments with runtimeSettings but no envoy listeners',
      yaml: CONTOUR_DEPLOYMENTS,
      findings: [
        { messageId: 'listeners', line: 7, resource: 'ContourDeployment/projectcontour/ingress-class-1', includes: 'ContourDeployment binds' },
        { messageId: 'listeners', line: 18, resource: 'ContourDeployment/projectcontour/ingress-class-2' },
      ],
    },
    {
      name: 'an explicit IPv4 flag value, the other listener on ::',
      yaml: serve(['serve', '--envoy-service-http-address=0.0.0.0', '"--envoy-service-https-address=::"']),
      findings: [{ messageId: 'listeners', line: 19, includes: 'HTTP (0.0.0.0) listener to IPv4 only' }],
    },
    {
      name: 'flag and value as separate arguments',
      yaml: serve(['serve', '--envoy-service-https-address', '10.0.0.1', '--envoy-service-http-address', '"::"']),
      findings: [{ messageId: 'listeners', line: 20, includes: 'HTTPS (10.0.0.1)' }],
    },
    {
      name: 'ContourConfiguration: http written as 0.0.0.0, https left to the default',
      yaml: config('    http:\n      address: 0.0.0.0\n      port: 8080\n'),
      findings: [{ messageId: 'listeners', line: 9, includes: 'HTTP (0.0.0.0) and HTTPS (0.0.0.0 by default)' }],
    },
  ],
});
