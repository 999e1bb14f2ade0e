import { defineRule, type JsonPatchOp, type RuleReport, type Target } from './types.ts';
import type { BackendTrafficPolicy, RateLimitRule, RateLimitSelector } from '../model/envoy-gateway.ts';
import { isObject } from '../model/resources.ts';
import { listText, pointer } from './helpers-workloads.ts';

interface PolicyTarget extends Target {
  readonly policy: BackendTrafficPolicy;
}

/** A selector that keys on every IPv4 client: sourceCIDR 0.0.0.0/0, not inverted. */
const allIPv4 = (s: RateLimitSelector): boolean => s.sourceCIDR !== undefined && !s.sourceCIDR.invert && s.sourceCIDR.family === 'IPv4' && s.sourceCIDR.prefix === 0;
/** A selector no IPv6 client can satisfy: an IPv4 range, not inverted. */
const excludesIPv6 = (s: RateLimitSelector): boolean => s.sourceCIDR !== undefined && !s.sourceCIDR.invert && s.sourceCIDR.family === 'IPv4';
/** The rule counts some IPv6 clients (its selectors do not rule them out). */
const countsIPv6 = (r: RateLimitRule): boolean => !r.selectors.some(excludesIPv6);
/** The rule keys on IPv6 client addresses itself. */
const keysIPv6 = (r: RateLimitRule): boolean => r.selectors.some((s) => s.sourceCIDR !== undefined && !s.sourceCIDR.invert && s.sourceCIDR.family === 'IPv6');

const label = (r: RateLimitRule): string => `${r.scope} rule ${r.index}`;

/** The same rule for every IPv6 client (::/0 in place of 0.0.0.0/0), appended to its list. */
function twin(r: RateLimitRule): JsonPatchOp[] {
  if (!isObject(r.raw) || !Array.isArray(r.raw.clientSelectors)) return [];
  const clientSelectors = r.raw.clientSelectors.map((s: unknown, i: number) =>
    isObject(s) && isObject(s.sourceCIDR) && r.selectors[i] && allIPv4(r.selectors[i]) ? { ...s, sourceCIDR: { ...s.sourceCIDR, value: '::/0' } } : s);
  return [{ op: 'add', path: `${pointer(r.path.slice(0, -1))}/-`, value: { ...r.raw, clientSelectors } }];
}

export default defineRule<PolicyTarget>({
  meta: {
    id: 'envoy-gateway-ratelimit-ipv4-only',
    fixable: 'suggestion',
    title: 'Envoy Gateway rate limits keyed on every IPv4 client only',
    category: 'policy',
    severity: 'high',
    scope: ['BackendTrafficPolicy'],
    rationale:
      'A BackendTrafficPolicy rate-limit rule applies only to requests that satisfy all its clientSelectors, and a sourceCIDR selector matches a client only when its address is inside the range. ' +
      'A rule keyed on sourceCIDR 0.0.0.0/0, meant to limit every client (one bucket for all, or one per address with type Distinct), therefore never counts an IPv6 client: on a dual-stack Gateway IPv6 clients are not limited by it at all, or only by the policy\'s other rules.',
    docs: {
      notes: 'Global and local rules are judged separately. A rule with a sourceCIDR selector for an IPv6 range in the same list (such as ::/0) makes the policy pass. The finding is high when no rule of the list counts IPv6 clients, medium when another rule (one without a sourceCIDR selector, or with an inverted one) still does. ' +
        'Narrower IPv4 ranges (a partner\'s network) are deliberate selections and are not reported. ' +
        'The suggested patch appends the same rule with ::/0; with type Distinct each IPv6 address gets its own bucket, and a client often holds many addresses of one prefix, so a limit per address is weaker for IPv6 clients. ' +
        'Sources: envoyproxy/gateway api/v1alpha1/ratelimit_types.go (RateLimitRule.ClientSelectors, SourceMatch), internal/gatewayapi/backendtrafficpolicy.go and internal/xds/translator/ratelimit.go (the CIDR becomes an address matcher on the client address).',
    },
    fix: { summary: 'Add the same rate-limit rule keyed on sourceCIDR ::/0 so that IPv6 clients are counted too.' },
    messages: {
      unlimited: 'BackendTrafficPolicy {rule} keys its limit on sourceCIDR {cidr}, which no IPv6 client matches, and no other {scope} rule counts IPv6 clients: IPv6 clients are not rate-limited',
      different: 'BackendTrafficPolicy {rule} keys its limit on sourceCIDR {cidr}, which no IPv6 client matches: IPv6 clients are limited only by {others}',
    },
    references: [
      'https://github.com/envoyproxy/gateway/blob/main/api/v1alpha1/ratelimit_types.go',
      'https://github.com/envoyproxy/gateway/blob/main/internal/gatewayapi/backendtrafficpolicy.go',
      'https://github.com/envoyproxy/gateway/blob/main/internal/xds/translator/ratelimit.go',
      'https://gateway.envoyproxy.io/docs/tasks/traffic/global-rate-limit/',
    ],
  },
  *targets({ model }) {
    for (const policy of model.dataPlanes.envoyGateway.backendTrafficPolicies) {
      if (policy.rateLimits.length > 0) yield { ref: policy.ref, ...(policy.source ? { source: policy.source } : {}), annotations: policy.annotations, policy };
    }
  },
  *check({ policy }): Generator<RuleReport> {
    for (const scope of ['global', 'local']) {
      const rules = policy.rateLimits.filter((r) => r.scope === scope);
      if (rules.some(keysIPv6)) continue;
      for (const r of rules) {
        const sel = r.selectors.find(allIPv4);
        if (!sel) continue;
        const others = rules.filter((o) => o !== r && countsIPv6(o));
        const data = { rule: label(r), cidr: sel.sourceCIDR!.text, scope, others: listText(others.map(label)) };
        yield { messageId: others.length > 0 ? 'different' : 'unlimited', ...(others.length > 0 ? { severity: 'medium' as const } : {}), path: sel.sourceCIDR!.path, data, suggest: twin(r) };
      }
    }
  },
});
