import { defineRule, type RuleReport, type Target } from './types.ts';
import type { AuthorizationRule, SecurityPolicy } from '../model/envoy-gateway.ts';
import { listText } from './helpers-workloads.ts';

interface PolicyTarget extends Target {
  readonly policy: SecurityPolicy;
}

/** A rule can match an IPv6 client: it does not match on client addresses, or one of them is IPv6 (or unreadable). */
const mayMatchIPv6 = (r: AuthorizationRule): boolean => r.cidrs === undefined || r.cidrs.some((c) => c.family !== 'IPv4');
const v4Ranges = (rules: readonly AuthorizationRule[]): string => listText(rules.flatMap((r) => (r.cidrs ?? []).filter((c) => c.family === 'IPv4').map((c) => c.text)), 4);
const targetsText = (p: SecurityPolicy): string => (p.targets.length > 0 ? ` of ${listText(p.targets)}` : '');

export default defineRule<PolicyTarget>({
  meta: {
    id: 'envoy-gateway-authz-ipv4-only',
    needsValue: true,
    title: 'Envoy Gateway SecurityPolicy authorization that lists client ranges of one family',
    category: 'policy',
    severity: 'high',
    scope: ['SecurityPolicy'],
    rationale:
      'A SecurityPolicy\'s authorization rules are evaluated in order and the first that matches decides; a rule whose principal has clientCIDRs matches only clients inside one of them, and an IPv4 range never contains an IPv6 client. ' +
      'When the default action is Deny (also when it is unset) and every Allow rule names only IPv4 ranges, every IPv6 client of the Gateway or route is denied. ' +
      'When the default action is Allow and the Deny rules name only IPv4 ranges, the same clients reach it over IPv6 unfiltered.',
    docs: {
      noFixedExample: 'The IPv6 ranges of the same clients are the site\'s own, which only its operators know.',
      notes: 'An Allow rule without clientCIDRs (matching only a JWT, headers, geolocation or a CEL expression) can admit IPv6 clients, and so can one that lists an IPv6 range: either makes the default-deny case pass. Principals are ANDed, so an Allow rule with IPv4 clientCIDRs and a JWT still admits IPv4 clients only. ' +
        'For the default-allow case, a Deny rule for any IPv6 range makes the policy pass, since the auditor cannot tell which IPv6 ranges belong to the same clients. ' +
        'The client address is the one ClientTrafficPolicy clientIPDetection (X-Forwarded-For, a custom header) or the PROXY protocol gives, else the peer. ' +
        'Sources: envoyproxy/gateway api/v1alpha1/authorization_types.go (Authorization.DefaultAction: Deny when unset; Principal.ClientCIDRs; first match wins).',
    },
    fix: {
      summary: 'List the IPv6 ranges of the same clients beside the IPv4 ones (clientCIDRs may mix families).',
      byMessage: {
        allowlist: 'add the IPv6 ranges of the allowed clients to the Allow rules\' clientCIDRs (or an Allow rule of their own)',
        denylist: 'add the IPv6 ranges of the denied clients to the Deny rules\' clientCIDRs (or a Deny rule of their own)',
      },
    },
    messages: {
      allowlist: 'SecurityPolicy denies by default ({defaultAction}) and its Allow rules name only IPv4 clientCIDRs ({ranges}), so every IPv6 client{targets} is denied',
      denylist: 'SecurityPolicy allows by default and its Deny rules name only IPv4 clientCIDRs ({ranges}), so the same clients{targets} pass over IPv6',
    },
    references: [
      'https://github.com/envoyproxy/gateway/blob/main/api/v1alpha1/authorization_types.go',
      'https://github.com/envoyproxy/gateway/blob/main/api/v1alpha1/securitypolicy_types.go',
      'https://gateway.envoyproxy.io/docs/tasks/security/restrict-ip-access/',
    ],
  },
  *targets({ model }) {
    for (const policy of model.dataPlanes.envoyGateway.securityPolicies) {
      if (policy.authorization) yield { ref: policy.ref, ...(policy.source ? { source: policy.source } : {}), annotations: policy.annotations, policy };
    }
  },
  *check({ policy }): Generator<RuleReport> {
    const a = policy.authorization;
    if (!a) return;
    const defaultAction = a.defaultAction ?? 'Deny';
    if (defaultAction === 'Deny') {
      const allows = a.rules.filter((r) => r.action === 'Allow');
      if (allows.length === 0 || allows.some(mayMatchIPv6)) return;
      yield {
        messageId: 'allowlist', path: allows[0]!.cidrs?.[0]?.path ?? allows[0]!.path,
        data: { defaultAction: a.defaultAction === undefined ? 'defaultAction unset, which is Deny' : 'Deny', ranges: v4Ranges(allows), targets: targetsText(policy) },
      };
    } else if (defaultAction === 'Allow') {
      const denies = a.rules.filter((r) => r.action === 'Deny' && r.cidrs !== undefined && r.cidrs.length > 0);
      if (denies.length === 0 || denies.some((r) => r.cidrs!.some((c) => c.family === 'IPv6'))) return;
      const v4 = denies.filter((r) => r.cidrs!.some((c) => c.family === 'IPv4'));
      if (v4.length === 0) return;
      yield {
        messageId: 'denylist', path: v4[0]!.cidrs![0]!.path,
        data: { ranges: v4Ranges(v4), targets: targetsText(policy) },
      };
    }
  },
});
