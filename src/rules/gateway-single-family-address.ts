import { defineRule, type RuleReport, type Target } from './types.ts';
import type { Gateway } from '../model/frontends.ts';
import { otherFamily, type Family } from '../model/types.ts';

interface GatewayTarget extends Target {
  readonly gw: Gateway;
  /** Gateways of the same namespace and class (candidate twins of the other family). */
  readonly siblings: readonly Gateway[];
}

export default defineRule<GatewayTarget>({
  meta: {
    id: 'gateway-single-family-address',
    needsValue: true,
    title: 'Gateways whose addresses are of one family',
    category: 'services',
    severity: 'medium',
    scope: ['Gateway'],
    rationale:
      'The Gateway API has no IP-family field: a dual-stack Gateway is expressed as two concrete addresses, one per family, and the implementation binds every listener to each address it assigns. ' +
      'A Gateway whose spec.addresses hold only IPv4 literals therefore has no IPv6 frontend, and IPv6-only clients cannot reach it (dual-stack clients fall back to IPv4). ' +
      'On GKE, a single NamedAddress is one reserved address of one family, and a gke-l7-* Gateway without addresses gets an ephemeral IPv4 address.',
    docs: {
      noFixedExample: 'The address of the other family must be reserved first (for GKE a named IPv6 address), which only the user can do.',
      notes: 'IPAddress values of one family are certain (medium), and so is a Gateway without spec.addresses whose status.addresses (a live object or a snapshot) are all of one family. A single NamedAddress (family unknown offline) and a gke-l7-* Gateway without addresses are (verify), low. A Gateway passes when a sibling Gateway (same namespace and class) carries an address of the other family or an address of its own, the two-Gateway pattern. Hostname and implementation-specific address types are not judged. Per-class IPv6 support is (verify) in the GKE GatewayClass capability tables.',
    },
    fix: { summary: 'Add an address of the other family to spec.addresses (for GKE, a second NamedAddress naming a reserved IPv6 address), or a twin Gateway that carries it.' },
    messages: {
      ipSingleFamily: 'spec.addresses hold only {only} addresses, so the Gateway has no {missing} frontend and {missing}-only clients cannot reach it',
      namedSingle: 'spec.addresses hold a single NamedAddress {name}, one address of one family, and no sibling Gateway carries another, so one family may lack a frontend (verify)',
      statusSingleFamily: 'The implementation bound only {only} addresses (status.addresses), so the Gateway has no {missing} frontend for {missing}-only clients',
      gkeNoAddress: 'GatewayClass {cls} with no spec.addresses gets one ephemeral address, IPv4 by default (verify), so IPv6 clients have no frontend',
    },
    references: ['https://github.com/kubernetes-sigs/gateway-api/blob/main/apis/v1/gateway_types.go', 'https://github.com/kubernetes-sigs/gateway-api/blob/main/geps/gep-1651/index.md', 'https://github.com/kubernetes/k8s.io/blob/main/apps/k8s-io/gateway-prod.yaml'],
  },
  *targets({ model }) {
    const groups = new Map<string, Gateway[]>();
    for (const g of model.frontends.gateways) {
      const k = `${g.ref.namespace ?? 'default'}/${g.gatewayClassName ?? ''}`;
      const l = groups.get(k);
      if (l) l.push(g);
      else groups.set(k, [g]);
    }
    for (const g of model.frontends.gateways) {
      const siblings = groups.get(`${g.ref.namespace ?? 'default'}/${g.gatewayClassName ?? ''}`)!.filter((s) => s !== g);
      yield { ref: g.ref, ...(g.source ? { source: g.source } : {}), annotations: g.annotations, gw: g, siblings };
    }
  },
  *check({ gw, siblings }): Generator<RuleReport> {
    const addrs = gw.addresses ?? [];
    const bound = gw.statusAddresses ?? [];
    if (addrs.length === 0 && bound.length > 0) {
      // What the implementation bound (live object or snapshot) is certain.
      if (!bound.every((a) => a.family)) return;
      const fams = new Set<Family>(bound.map((a) => a.family!));
      if (fams.size !== 1) return;
      const only = [...fams][0]!;
      const missing = otherFamily(only);
      if (siblings.some((s) => [...(s.addresses ?? []), ...(s.statusAddresses ?? [])].some((a) => a.family === missing))) return;
      yield { messageId: 'statusSingleFamily', path: ['status', 'addresses'], data: { only, missing } };
      return;
    }
    if (addrs.length === 0) {
      if (gw.addresses === undefined && gw.gatewayClassName?.startsWith('gke-l7-') && !siblings.some((s) => (s.addresses?.length ?? 0) > 0)) {
        yield { messageId: 'gkeNoAddress', path: ['spec', 'gatewayClassName'], severity: 'low', data: { cls: gw.gatewayClassName } };
      }
      return;
    }
    if (addrs.every((a) => a.type === 'IPAddress' && a.family)) {
      const fams = new Set<Family>(addrs.map((a) => a.family!));
      if (fams.size !== 1) return;
      const only = [...fams][0]!;
      const missing = otherFamily(only);
      if (siblings.some((s) => s.addresses?.some((a) => a.family === missing))) return;
      yield { messageId: 'ipSingleFamily', path: ['spec', 'addresses'], data: { only, missing } };
      return;
    }
    if (addrs.length === 1 && addrs[0]!.type === 'NamedAddress' && !siblings.some((s) => (s.addresses?.length ?? 0) > 0)) {
      yield { messageId: 'namedSingle', path: addrs[0]!.path, severity: 'low', data: { name: JSON.stringify(addrs[0]!.value ?? '') } };
    }
  },
});
