import { defineRule, type RuleReport, type Target } from './types.ts';
import { annotationPath, onGke } from './helpers-gke.ts';
import { L4_STATIC_IPS, sameSite, type GkeIngress } from '../model/gke.ts';
import { clusterRegion, theCluster, type GcpAddress, type GcpModel } from '../model/gcp.ts';
import type { Family, JsonPath } from '../model/types.ts';

interface Named {
  readonly name: string;
  readonly path: JsonPath;
  /** The reserved address of that name with the scope GKE looks in, when the input has it. */
  readonly address?: GcpAddress;
  /** Found only with the other scope (a global address for a regional lookup, or the reverse). */
  readonly wrongScope?: GcpAddress;
}

interface T extends Target {
  readonly what: string;
  readonly names: readonly Named[];
  /** Families the object should end up with: both on a dual-stack target. */
  readonly expects: readonly Family[];
}

const familyOf = (a: GcpAddress): Family => (a.ipVersion.value === 'IPV6' ? 'IPv6' : 'IPv4');

function lookup(gcp: GcpModel, name: string, global: boolean, region: string | undefined, path: JsonPath): Named {
  const same = gcp.addresses.filter((a) => a.gcpName === name && a.global === global && (global || !region || !a.region || a.region === region));
  if (same.length > 0) return { name, path, address: same[0]! };
  const other = gcp.addresses.find((a) => a.gcpName === name);
  return other ? { name, path, wrongScope: other } : { name, path };
}

export default defineRule<T>({
  meta: {
    id: 'gke-static-address-single-family',
    title: 'Reserved static addresses of one family for a GKE frontend that should serve both',
    category: 'services',
    severity: 'medium',
    scope: ['Service', 'Ingress', 'Gateway'],
    rationale:
      'A GKE frontend takes reserved addresses by name: an L4 LoadBalancer from networking.gke.io/load-balancer-ip-addresses (regional addresses in the cluster\'s region, one per family, first two names only), a GKE Ingress from kubernetes.io/ingress.global-static-ip-name (one global address, so one family per Ingress), a GKE Gateway from spec.addresses of type NamedAddress. ' +
      'The family of each address is set when it is reserved (ipVersion IPV4 or IPV6, IPV4 by default). When every address named is of one family, the frontend of the other family gets an ephemeral address, or none: DNS and allow lists that expect the reserved IPv6 address break. ' +
      'A name that exists only with the other scope (a global address for an L4 LoadBalancer, a regional one for the global Ingress) is not found and skipped silently.',
    docs: {
      noFixedExample: 'The address of the other family must be reserved in Google Cloud first, which only the user can do.',
      notes: 'Cross-object: evaluated when the input has the reserved addresses (Config Connector ComputeAddress, `gcloud compute addresses describe`, google_compute_address / google_compute_global_address in `terraform show -json`) for: dual-stack LoadBalancer Services on GKE with networking.gke.io/load-balancer-ip-addresses; GKE Ingresses with a static address annotation on a dual-stack target, where a twin Ingress (the same site: same namespace, class, backends, rules, TLS and certificates, or family-suffixed names) naming the other family\'s address counts; Gateways of a gke-l7-* class with NamedAddress addresses on a dual-stack target. Names the input does not have are not judged. Sources: kubernetes/ingress-gce pkg/l4/annotations/l4_static_address.go (regional lookup in the cluster region, first 2 names, empty ipVersion = IPv4), Compute REST Address.ipVersion and region (https://cloud.google.com/compute/docs/reference/rest/v1/addresses), GKE Ingress static IPs (https://cloud.google.com/kubernetes-engine/docs/concepts/ingress-xlb), Gateway addresses (https://cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities).',
    },
    fix: { summary: 'Reserve an address of the missing family with the scope the frontend uses (regional for L4, global for the global Ingress and Gateway) and name it next to the other.' },
    messages: {
      oneFamily: '{what} names reserved addresses of {have} only ({names}): its {missing} frontend gets an ephemeral address or none, so DNS and allow lists that expect a reserved {missing} address break; reserve a {missing} address ({scope}) and name it too',
      wrongScope: '{what} names {name}, which the input has only as a {found} address, while GKE looks it up as a {wanted} address: the name is skipped silently; reserve it as a {wanted} address',
    },
    references: ['https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/annotations/l4_static_address.go', 'https://cloud.google.com/compute/docs/reference/rest/v1/addresses', 'https://cloud.google.com/kubernetes-engine/docs/concepts/ingress-xlb', 'https://cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities'],
  },
  *targets({ model }) {
    const gcp = model.gcp;
    if (gcp.addresses.length === 0) return;
    const cluster = theCluster(gcp);
    const region = cluster ? clusterRegion(cluster) : undefined;
    const dual = model.clusterFamilies.families.length === 2;
    for (const svc of model.services) {
      const v = svc.annotations[L4_STATIC_IPS];
      if (svc.type !== 'LoadBalancer' || v === undefined || !onGke(svc, model)) continue;
      const fams = svc.effectiveWhenDual?.ipFamilies ?? svc.effective?.ipFamilies ?? [];
      const names = v.split(',').map((s) => s.trim()).filter((s) => s !== '').slice(0, 2).map((n) => lookup(gcp, n, false, region, annotationPath(L4_STATIC_IPS)));
      yield { ref: svc.ref, ...(svc.source ? { source: svc.source } : {}), annotations: svc.annotations, what: 'The LoadBalancer', names, expects: fams };
    }
    const ingressNames = (i: GkeIngress): Named | undefined => (i.staticIP ? lookup(gcp, i.staticIP.name, i.cls === 'gce', region, i.staticIP.path) : undefined);
    for (const i of model.gke.ingresses) {
      const own = ingressNames(i);
      if (!own) continue;
      // A twin (the same site: model/gke.ts sameSite) serves the other family.
      const twins = model.gke.ingresses.filter((j) => sameSite(i, j, model.coexistence)).flatMap((j) => ingressNames(j) ?? []);
      yield { ref: i.ref, ...(i.source ? { source: i.source } : {}), annotations: i.annotations, what: 'The Ingress', names: [own, ...twins.map((t) => ({ ...t, path: own.path }))], expects: dual ? ['IPv4', 'IPv6'] : [] };
    }
    for (const g of model.gke.gateways) {
      if (!g.gatewayClassName?.startsWith('gke-l7-')) continue;
      const global = g.gatewayClassName.includes('-global-') || g.gatewayClassName === 'gke-l7-gxlb';
      const names = g.addresses.flatMap((a) => (a.type === 'NamedAddress' && a.value ? [lookup(gcp, a.value, global, region, a.path)] : []));
      if (names.length > 0) yield { ref: g.ref, ...(g.source ? { source: g.source } : {}), annotations: g.annotations, what: 'The Gateway', names, expects: dual ? ['IPv4', 'IPv6'] : [] };
    }
  },
  *check({ what, names, expects }): Generator<RuleReport> {
    for (const n of names) {
      if (n.wrongScope && !n.address) {
        const wanted = n.wrongScope.global ? 'regional' : 'global';
        yield { messageId: 'wrongScope', path: n.path, data: { what, name: n.name, found: n.wrongScope.global ? 'global' : 'regional', wanted } };
        return;
      }
    }
    if (expects.length < 2 || names.some((n) => !n.address)) return;
    const have = [...new Set(names.map((n) => familyOf(n.address!)))];
    const missing = expects.filter((f) => !have.includes(f));
    if (missing.length === 0) return;
    const regional = names.some((n) => !n.address!.global);
    yield {
      messageId: 'oneFamily', path: names[0]!.path,
      data: { what, have: have.join(', '), names: names.map((n) => `${n.name}: ${n.address!.ipVersion.value ?? 'IPV4 (unset)'}`).join(', '), missing: missing.join(', '), scope: regional ? 'regional, in the cluster\'s region' : 'global' },
    };
  },
});
