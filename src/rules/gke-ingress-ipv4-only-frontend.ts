import { defineRule, type RuleReport, type Target } from './types.ts';
import { sameSite, type GkeIngress } from '../model/gke.ts';

interface IngressTarget extends Target {
  readonly ing: GkeIngress;
  /** GKE Ingresses of the same site (model/gke.ts sameSite) that name another static address (the twin pattern). */
  readonly twins: readonly GkeIngress[];
}

const V6_HINT = /(^|[-_.])(v6|ipv6|ip6)([-_.]|$)|ipv6/i;

export default defineRule<IngressTarget>({
  meta: {
    id: 'gke-ingress-ipv4-only-frontend',
    // With the reserved address in the input (--gcp, Config Connector), its family is a fact: that finding says it.
    foldsInto: [{ rule: 'gke-static-address-single-family', samePath: true }],
    title: 'GKE Ingresses with a frontend of one family and no twin for the other',
    category: 'services',
    severity: 'medium',
    scope: ['Ingress'],
    rationale:
      'ingress-gce gives an Ingress one frontend address: its HTTP and HTTPS forwarding rules share one IP, and the static-IP annotation takes one name. Without the annotation the address is an ephemeral IPv4 one. ' +
      'Dual-stack on GKE Ingress is therefore two Ingresses with the same rules, one naming a reserved IPv4 address and one a reserved IPv6 address (as kubernetes/k8s.io does). ' +
      'A single GKE Ingress serves one family: IPv6-only clients cannot reach an IPv4-only frontend except through NAT64. Google\'s proxy terminates IPv6 itself, so the backend Services do not need IPv6.',
    docs: {
      noFixedExample: 'The fix reserves a global IPv6 address in Google Cloud and adds a second Ingress, which a patch to this one cannot do.',
      notes: 'GKE Ingresses: kubernetes.io/ingress.class gce, gce-regional-external or gce-internal, or neither the annotation nor spec.ingressClassName where the Ingress is known to be on GKE (ingress-gce then takes it as gce): --platform gke, GKE Nodes or a GKE cluster in the input, GKE annotations on the Ingress, a GKE object in its own file, or a backend Service with GKE annotations that can be applied with it; GKE objects in unrelated files are no evidence. A twin is a GKE Ingress of the same namespace, in a file that can be applied with this one, that names another static address and serves the same site: the same class, backends, rules, default backend, TLS and certificate annotations, or a name and address name that differ only by a family suffix (-v6, -ipv6, -v4). No static-IP annotation: medium (ephemeral IPv4, the forwarding-rule default). One static name and no twin: low, since the family of a reserved address cannot be read offline (verify; a name hinting IPv6 is weak evidence and is said so). Live: status.loadBalancer.ingress of one family and no twin of the other family: medium. gce-internal: info, since internal Application Load Balancer IPv6 frontends are unconfirmed. Sources: ingress-gce pkg/loadbalancers/forwarding_rules.go, pkg/translator/translator.go, pkg/annotations/ingress.go, ingress-gce issue #87, k8s.io apps/k8s-io/ingress-prod-v6.yaml.',
    },
    fix: { summary: 'Reserve a global IPv6 address (gcloud compute addresses create NAME --global --ip-version IPV6) and add a twin Ingress with the same rules naming it in kubernetes.io/ingress.global-static-ip-name, or move to a Gateway with one address per family.' },
    messages: {
      ephemeral: 'GKE Ingress (class {cls}{defaulted}) has no static address, so ingress-gce gives it one ephemeral IPv4 address and no IPv6 frontend',
      single: 'GKE Ingress names one static address ({name}) and no twin Ingress names another, so only that address\'s family has a frontend (verify){hint}',
      liveSingle: 'GKE Ingress has frontend addresses of {family} only ({ips}) and no twin Ingress serves {missing}, so {missing} clients cannot reach it',
      both: 'GKE Ingress sets both the global and the regional static-IP annotations, which ingress-gce refuses, so it gets no frontend in either family',
    },
    references: ['https://github.com/kubernetes/ingress-gce/blob/master/pkg/loadbalancers/forwarding_rules.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/translator/translator.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/loadbalancers/addresses.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/annotations/ingress.go'],
  },
  *targets({ model }) {
    for (const ing of model.gke.ingresses) {
      const twins = model.gke.ingresses.filter((o) => o.staticIP !== undefined && o.staticIP.name !== ing.staticIP?.name && sameSite(ing, o, model.coexistence));
      yield { ref: ing.ref, ...(ing.source ? { source: ing.source } : {}), annotations: ing.annotations, ...(ing.cls === 'gce-internal' ? { severity: 'info' as const } : {}), ing, twins };
    }
  },
  *check({ ing, twins }): Generator<RuleReport> {
    if (ing.bothStaticIPs) {
      yield { messageId: 'both', path: ing.staticIP!.path };
      return;
    }
    const fams = [...new Set(ing.statusIPs.flatMap((s) => (s.family ? [s.family] : [])))];
    if (fams.length === 2) return;
    if (fams.length === 1) {
      const missing = fams[0] === 'IPv4' ? 'IPv6' : 'IPv4';
      if (twins.some((t) => t.statusIPs.some((s) => s.family === missing) || t.statusIPs.length === 0)) return;
      yield { messageId: 'liveSingle', path: ['status', 'loadBalancer', 'ingress'], data: { family: fams[0]!, ips: ing.statusIPs.map((s) => s.ip).join(', '), missing } };
      return;
    }
    if (!ing.staticIP) {
      if (twins.length > 0) return;
      yield { messageId: 'ephemeral', path: ing.classFrom === 'annotation' ? ['metadata', 'annotations', 'kubernetes.io/ingress.class'] : ['metadata'], data: { cls: ing.cls, defaulted: ing.classFrom === 'default' ? ', by default' : '' } };
      return;
    }
    if (twins.length > 0) return;
    const hint = V6_HINT.test(ing.staticIP.name) ? ' (the name suggests IPv6, which is weak evidence: then IPv4 clients have no frontend)' : '';
    yield { messageId: 'single', path: ing.staticIP.path, severity: ing.cls === 'gce-internal' ? 'info' : 'low', data: { name: JSON.stringify(ing.staticIP.name), hint } };
  },
});
