import { defineRule, type RuleReport, type Target } from './types.ts';
import type { GatewayAddresses } from '../model/gke.ts';
import { parseCIDR, parseIP } from '../emulate/ip.ts';

interface GwTarget extends Target {
  readonly gw: GatewayAddresses;
}

const MAX_ADDRESSES = 16;

export default defineRule<GwTarget>({
  meta: {
    id: 'gateway-address-invalid',
    title: 'Gateway addresses the Gateway API CRD rejects',
    category: 'services',
    severity: 'critical',
    scope: ['Gateway'],
    rationale:
      'Dual-stack Gateways are written as two concrete addresses, one per family, and hand-written IPv6 addresses are where mistakes creep in. The Gateway CRD validates each IPAddress value as a plain IPv4 or IPv6 address ' +
      '(no prefix length, no brackets, no zone), rejects duplicate IPAddress and Hostname values and allows at most 16 addresses: kubectl apply fails and the Gateway is not created or updated.',
    docs: {
      noFixedExample: 'Which address was meant (and which duplicate to keep) is the user\'s decision.',
      notes: 'Source: gateway-api apis/v1/gateway_types.go and shared_types.go, CRD config/crd/standard/gateway.networking.k8s.io_gateways.yaml (IPAddress values validated as ipv4 or ipv6, CEL "IPAddress values must be unique" and "Hostname values must be unique", maxItems 16). An entry without type is an IPAddress. An empty value asks the implementation to assign an address and is valid. IPv6 text that is valid but not RFC 5952 canonical (upper case, leading zeros) is accepted by the CRD and not reported; IPv4 leading zeros are rejected by Go\'s parser and are reported.',
    },
    fix: { summary: 'Write each IPAddress value as a single plain address (2001:db8::10, not [2001:db8::10] or 2001:db8::/64), list each address once, and keep at most 16 entries.' },
    messages: {
      cidr: 'spec.addresses value {value} is a CIDR, but an IPAddress entry takes one plain address, so the Gateway CRD rejects the Gateway',
      brackets: 'spec.addresses value {value} is a bracketed IPv6 address, but the Gateway CRD takes the plain address and rejects the Gateway',
      zone: 'spec.addresses value {value} has an IPv6 zone, which the Gateway CRD rejects',
      invalid: 'spec.addresses value {value} is not an IPv4 or IPv6 address (type IPAddress), so the Gateway CRD rejects the Gateway',
      duplicate: 'spec.addresses lists the {type} value {value} twice, and the Gateway CRD rejects duplicate {type} values',
      tooMany: 'spec.addresses has {count} entries, more than the {max} the Gateway CRD allows, so it rejects the Gateway',
    },
    references: ['https://github.com/kubernetes-sigs/gateway-api/blob/main/apis/v1/gateway_types.go', 'https://github.com/kubernetes-sigs/gateway-api/blob/main/geps/gep-1651/index.md', 'https://github.com/kubernetes/k8s.io/blob/main/apps/k8s-io/gateway-prod.yaml', 'https://github.com/kubernetes-sigs/gateway-api/blob/main/config/crd/standard/gateway.networking.k8s.io_gateways.yaml'],
  },
  *targets({ model }) {
    for (const gw of model.gke.gateways) {
      if (gw.addresses.length > 0) yield { ref: gw.ref, ...(gw.source ? { source: gw.source } : {}), annotations: gw.annotations, gw };
    }
  },
  *check({ gw }): Generator<RuleReport> {
    if (gw.addresses.length > MAX_ADDRESSES) yield { messageId: 'tooMany', path: ['spec', 'addresses'], data: { count: gw.addresses.length, max: MAX_ADDRESSES } };
    const seen = new Set<string>();
    for (const a of gw.addresses) {
      if (a.value === undefined || a.value === '') continue;
      const data = { value: JSON.stringify(a.value), type: a.type };
      const vpath = [...a.path, 'value'];
      if (a.type === 'IPAddress' && !parseIP(a.value, { sloppy: false })) {
        const v = a.value.trim();
        const id = a.value.includes('/') && parseCIDR(v) ? 'cidr' : /^\[.*\]$/.test(v) ? 'brackets' : v.includes('%') ? 'zone' : 'invalid';
        yield { messageId: id, path: vpath, data };
        continue;
      }
      if (a.type !== 'IPAddress' && a.type !== 'Hostname') continue;
      const key = `${a.type}\u0000${a.value}`;
      if (seen.has(key)) yield { messageId: 'duplicate', path: vpath, data };
      seen.add(key);
    }
  },
});
