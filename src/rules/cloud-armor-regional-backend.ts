import { defineRule, type RuleReport, type Target } from './types.ts';
import type { SecurityPolicyRef } from '../model/frontends.ts';
import { l7ConsumersOf, type L7Consumer } from '../model/gke.ts';
import { formatRef } from '../model/types.ts';

interface RegionalTarget extends Target {
  readonly sp: SecurityPolicyRef;
  /** Regional consumers of the Services the policy is attached to. */
  readonly regional: readonly L7Consumer[];
}

const REGIONAL_INGRESS = new Set(['gce-internal', 'gce-regional-external']);
const REGIONAL_EXTERNAL_GATEWAY = 'gke-l7-regional-external-managed';

export default defineRule<RegionalTarget>({
  meta: {
    id: 'cloud-armor-regional-backend',
    title: 'Cloud Armor policies attached to backends of regional load balancers, where they do not apply',
    category: 'policy',
    severity: 'medium',
    scope: ['BackendConfig', 'GCPBackendPolicy'],
    rationale:
      'ingress-gce attaches a BackendConfig\'s Cloud Armor policy only to global backend services; for a Service behind a gce-internal or gce-regional-external Ingress the sync fails ' +
      '("cloud armor security policies not supported for ... backend service") and no policy protects the backend, on either family. The policy the team reviews for IPv6 coverage is then not in front of the traffic at all.',
    docs: {
      noFixedExample: 'Choosing a global load balancer or another protection is an architecture decision, not a field edit.',
      notes: 'BackendConfig on a Service used by a gce-internal or gce-regional-external Ingress: medium (ingress-gce pkg/backends/features/securitypolicy.go, EnsureSecurityPolicy). GCPBackendPolicy securityPolicy on a Service behind an HTTPRoute of a gke-l7-regional-external-managed Gateway: low, since that limit is reported in the GKE capability table by a secondary source (verify). The Services come from the backend-config annotation and the GCPBackendPolicy targetRef (model/frontends.ts); their consumers from Ingress backends and HTTPRoute backendRefs (model/gke.ts).',
    },
    fix: { summary: 'Put the Service behind a global load balancer (class gce, or a global Gateway class) if it needs Cloud Armor, or protect the regional load balancer by other means (firewall policies, regional security policies where supported) and remove the ineffective securityPolicy.', byMessage: { gateway: 'Check that the policy is in effect on this Gateway.' } },
    messages: {
      ingress: 'Cloud Armor policy {policy} is attached through {services}, served by {consumers}: regional backends take no Cloud Armor, so no policy filters IPv4 or IPv6',
      gateway: 'Cloud Armor policy {policy} is attached through {services}, served by {consumers}: regional external Gateways reportedly lack Cloud Armor (verify)',
    },
    references: ['https://github.com/kubernetes/ingress-gce/blob/master/pkg/apis/backendconfig/v1/types.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/backends/features/securitypolicy.go', 'https://github.com/kubernetes/ingress-gce/blob/master/pkg/annotations/service.go'],
  },
  *targets({ model }) {
    for (const sp of model.frontends.securityPolicies) {
      const consumers = sp.services.flatMap((s) => l7ConsumersOf({ ref: s, ...(sp.source ? { source: sp.source } : {}) }, model));
      const regional = consumers.filter((c) => (sp.ref.kind === 'BackendConfig' ? REGIONAL_INGRESS.has(c.cls) : c.cls === REGIONAL_EXTERNAL_GATEWAY));
      if (consumers.length === 0) continue;
      yield { ref: sp.ref, ...(sp.source ? { source: sp.source } : {}), annotations: sp.annotations, ...(sp.ref.kind === 'BackendConfig' ? {} : { severity: 'low' as const }), sp, regional };
    }
  },
  *check({ sp, regional }): Generator<RuleReport> {
    if (regional.length === 0) return;
    const data = {
      policy: JSON.stringify(sp.policyName),
      services: sp.services.map((s) => formatRef(s)).join(', '),
      consumers: [...new Set(regional.map((c) => `${formatRef(c.ref)} (${c.cls})`))].join(', '),
    };
    yield { messageId: sp.ref.kind === 'BackendConfig' ? 'ingress' : 'gateway', path: sp.path, data };
  },
});
