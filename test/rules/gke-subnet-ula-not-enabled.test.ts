import rule from '../../src/rules/gke-subnet-ula-not-enabled.ts';
import { gcpRuleTester, type GcpSpec } from '../helpers/gcp.ts';

const INTERNAL: GcpSpec = { kind: 'subnet', name: 'inner', network: 'vpc', stackType: 'IPV4_IPV6', access: 'INTERNAL' };
const ACCESS = { kcc: /ipv6AccessType:/, gcloud: /ipv6AccessType:/, terraform: /"ipv6_access_type"/ };

gcpRuleTester(rule, {
  valid: [
    { name: 'network with ULA internal IPv6 (fixed)', specs: [{ kind: 'network', name: 'vpc', ula: true }, INTERNAL] },
    { name: 'an EXTERNAL subnet needs no ULA', specs: [{ kind: 'network', name: 'vpc', ula: false }, { ...INTERNAL, access: 'EXTERNAL' }, { kind: 'network', name: 'vpc2', ula: true }, { ...INTERNAL, name: 'v6', network: 'vpc2' }] },
  ],
  invalid: [
    {
      name: 'ULA not set on the network', specs: [{ kind: 'network', name: 'vpc' }, INTERNAL],
      findings: [{ messageId: 'noUla', severity: 'critical', at: { gcp: 'inner', key: ACCESS }, includes: 'ComputeNetwork vpc' }],
    },
    {
      name: 'ULA false on the network', specs: [{ kind: 'network', name: 'vpc', ula: false }, INTERNAL],
      findings: [{ messageId: 'noUla', at: { gcp: 'inner', key: ACCESS } }],
    },
  ],
});
