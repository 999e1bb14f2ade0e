import rule from '../../src/rules/hubble-ipv6-drops.ts';
import { ruleTester } from '../helpers/rule-tester.ts';

const live = { live: {} };
const cfg = (v6: string | undefined): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: cilium-config
  namespace: kube-system
data:
  enable-ipv4: "true"
${v6 === undefined ? '' : `  enable-ipv6: "${v6}"\n`}`;
const node = (addrs: string): string => `---
apiVersion: v1
kind: Node
metadata:
  name: node-1
status:
  addresses:
${addrs}
`;
const DUAL = '  - {type: InternalIP, address: 172.18.0.2}\n  - {type: InternalIP, address: "fc00:f853:ccd:e793::2"}';
const V4 = '  - {type: InternalIP, address: 172.18.0.2}';

ruleTester(rule, {
  valid: [
    { name: 'IPv6 on', yaml: `${cfg('true')}${node(DUAL)}`, build: live },
    { name: 'IPv4-only nodes', yaml: `${cfg('false')}${node(V4)}`, build: live },
    { name: 'offline: not evaluated', yaml: `${cfg('false')}${node(DUAL)}` },
    { name: 'Nodes not readable', yaml: `${cfg('false')}${node(DUAL)}`, build: { live: { notRead: ['Node'] } } },
  ],
  invalid: [
    { name: 'IPv6 off on dual-stack nodes', yaml: `${cfg('false')}${node(DUAL)}`, build: live,
      findings: [{ messageId: 'drops', line: 8, severity: 'high', includes: 'UNSUPPORTED_L3_PROTOCOL' }] },
    { name: 'enable-ipv6 unset (Cilium default off)', yaml: `${cfg(undefined)}${node(DUAL)}`, build: live,
      findings: [{ messageId: 'drops', line: 6, includes: 'default "false"' }] },
  ],
});
