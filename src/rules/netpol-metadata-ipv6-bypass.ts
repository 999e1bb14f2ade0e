import { defineRule, type JsonPatchOp, type RuleReport } from './types.ts';
import { policyTarget, type PolicyTarget } from './helpers-policy.ts';
import { cidrContains, type CidrPeer, type Policy } from '../model/policies.ts';
import { parseIP, type ParsedIP } from '../emulate/ip.ts';
import type { JsonPath } from '../model/types.ts';

const V4 = parseIP('169.254.169.254')!;
/** IPv6 instance metadata endpoints: GCE fd20:ce::254, AWS IMDS fd00:ec2::254. */
const V6: readonly { ip: ParsedIP; cloud: string }[] = [
  { ip: parseIP('fd20:ce::254')!, cloud: 'GCE' },
  { ip: parseIP('fd00:ec2::254')!, cloud: 'AWS' },
];

const holds = (c: CidrPeer, ip: ParsedIP): boolean => !!c.cidr && cidrContains(c.cidr, ip.bytes, ip.family);
const excepted = (c: CidrPeer, ip: ParsedIP): boolean => c.except.some((e) => !!e.cidr && cidrContains(e.cidr, ip.bytes, ip.family));

interface Verdict {
  readonly blocksV4: boolean;
  /** Allowing CIDR per IPv6 metadata address, when nothing blocks it. */
  readonly open: readonly { addr: string; cloud: string; via: CidrPeer }[];
  readonly anyV6Blocked: boolean;
}

/** Egress of the policy: does it keep pods away from 169.254.169.254 yet let them reach the IPv6 endpoints? */
function judge(p: Policy): Verdict {
  let blocksV4 = false;
  const blocked = new Set<string>();
  const allowedBy = new Map<string, CidrPeer>();
  for (const r of p.rules) {
    if (r.direction !== 'egress') continue;
    for (const c of r.cidrs) {
      if (r.action === 'deny') {
        if (!c.negated && holds(c, V4)) blocksV4 = true;
        for (const m of V6) if (!c.negated && holds(c, m.ip)) blocked.add(m.ip.canonical);
        continue;
      }
      if (r.action !== 'allow') continue;
      if (c.negated) {
        // Calico notNets: an allow for everything outside the CIDR.
        if (holds(c, V4)) blocksV4 = true;
        for (const m of V6) if (holds(c, m.ip)) blocked.add(m.ip.canonical);
        continue;
      }
      if (holds(c, V4) && excepted(c, V4)) blocksV4 = true;
      for (const m of V6) {
        if (!holds(c, m.ip)) continue;
        if (excepted(c, m.ip)) blocked.add(m.ip.canonical);
        else if (!allowedBy.has(m.ip.canonical)) allowedBy.set(m.ip.canonical, c);
      }
    }
    // Calico notNets-only rules admit IPv6 too: count them as an allow of ::/0.
    if (r.action === 'allow' && r.openFamilies.includes('IPv6') && r.cidrs.some((c) => c.negated)) {
      const via = r.cidrs.find((c) => c.negated)!;
      for (const m of V6) if (!r.cidrs.some((c) => c.negated && holds(c, m.ip)) && !allowedBy.has(m.ip.canonical)) allowedBy.set(m.ip.canonical, via);
    }
  }
  const open = V6.filter((m) => allowedBy.has(m.ip.canonical) && !blocked.has(m.ip.canonical))
    .map((m) => ({ addr: m.ip.canonical, cloud: m.cloud, via: allowedBy.get(m.ip.canonical)! }));
  return { blocksV4, open, anyV6Blocked: blocked.size > 0 };
}

function fixFor(p: Policy, via: CidrPeer, addrs: readonly string[]): JsonPatchOp[] | undefined {
  if (p.engine !== 'kubernetes' || via.negated) return undefined;
  const block: JsonPath = via.path.slice(0, -1); // .../ipBlock
  const base = `/${block.join('/')}/except`;
  const values = addrs.map((a) => `${a}/128`);
  return via.except.length > 0
    ? values.map((value) => ({ op: 'add' as const, path: `${base}/-`, value }))
    : [{ op: 'add', path: base, value: values }];
}

export default defineRule<PolicyTarget>({
  meta: {
    id: 'netpol-metadata-ipv6-bypass',
    fixable: 'fix',
    title: 'Policies that block the IPv4 metadata server but let pods reach the IPv6 one',
    category: 'policy',
    severity: 'high',
    scope: ['NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy'],
    rationale:
      'Egress policies commonly allow 0.0.0.0/0 except 169.254.169.254/32 to keep pods away from the cloud instance metadata server (credentials, tokens). ' +
      'Cloud VMs with IPv6 also serve metadata on an IPv6 address: fd00:ec2::254 on AWS (IMDS over IPv6) and fd20:ce::254 on GCE. ' +
      'When the same policy allows IPv6 egress through a broad block such as ::/0 without excepting those addresses, a pod on a dual-stack cluster reaches the metadata server over IPv6 and the IPv4 restriction is bypassed.',
    docs: {
      notes: 'Reported when the policy visibly blocks 169.254.169.254 (an except of an allowed block, a Cilium egressDeny, a Calico Deny rule or notNets) while an allowed IPv6 CIDR contains an IPv6 metadata address and no except or deny covers any of them. Excepting one cloud\'s address is taken as a deliberate choice and passes. Whether a node serves metadata over IPv6 depends on the cloud and instance settings (AWS: the IMDS IPv6 endpoint must be enabled on Nitro instances); the addresses are those the AWS and GCE metadata documentation give (see the references; GCE\'s is marked verify).',
    },
    fix: { summary: 'Except the IPv6 metadata addresses (fd00:ec2::254/128, fd20:ce::254/128) from the IPv6 block, as 169.254.169.254/32 is excepted from the IPv4 one.', byMessage: { bypass: 'Except {addrs} from that block as well.' } },
    messages: {
      bypass: 'The policy blocks 169.254.169.254 but {via} allows the IPv6 metadata endpoint {addrs}, so pods reach the instance metadata server over IPv6',
    },
    references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html', 'https://cloud.google.com/compute/docs/metadata/querying-metadata (verify: fd20:ce::254)', 'https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/networking/validation/validation.go', 'https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/services-networking/network-policies.md', 'https://github.com/projectcalico/calico/blob/master/api/pkg/apis/projectcalico/v3/policy_common.go', 'https://github.com/cilium/cilium/blob/main/pkg/policy/api/rule.go'],
  },
  *targets({ model }) {
    const { networkPolicies, cilium, calico } = model.policies;
    for (const p of [...networkPolicies, ...cilium, ...calico]) {
      if (p.isolates.includes('egress') && p.rules.some((r) => r.direction === 'egress' && r.cidrs.length > 0)) yield policyTarget(p);
    }
  },
  *check({ policy: p }): Generator<RuleReport> {
    const v = judge(p);
    if (!v.blocksV4 || v.anyV6Blocked || v.open.length === 0) return;
    const via = v.open[0]!.via;
    const addrs = v.open.map((o) => o.addr);
    const fix = fixFor(p, via, addrs);
    yield {
      messageId: 'bypass',
      path: via.path,
      data: { via: via.negated ? `the notNets rule ${via.text}` : `the block ${via.text}`, addrs: v.open.map((o) => `${o.addr} (${o.cloud})`).join(' and ') },
      ...(fix ? { fix } : {}),
    };
  },
});
