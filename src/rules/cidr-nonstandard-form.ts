import { defineRule, type RuleReport } from './types.ts';
import { allPolicies, factTarget, policyCidrs, policyTarget, serviceAddresses, where, type FactTarget, type PolicyTarget } from './helpers-cluster.ts';
import { serviceTarget, type ServiceTarget } from './helpers.ts';
import { nonstandardForms, parseCIDR, parseIP, type NonstandardForm } from '../emulate/ip.ts';
import type { Severity } from '../model/types.ts';
import { pointer } from './helpers-workloads.ts';

type FormTarget =
  | (FactTarget & { readonly svc?: undefined; readonly policy?: undefined })
  | (ServiceTarget & { readonly fact?: undefined; readonly policy?: undefined })
  | (PolicyTarget & { readonly fact?: undefined; readonly svc?: undefined });

const FORM_TEXT: Readonly<Record<NonstandardForm, string>> = {
  hostBitsSet: 'has host bits set (an interface address, not a network)',
  leadingZeros: 'has an IPv4 part with leading zeros (read as decimal by Kubernetes, as octal by other tools)',
  ipv4Mapped: 'is an IPv4-mapped IPv6 address (::ffff:a.b.c.d), whose family is ambiguous',
  nonCanonicalIPv6: 'is not in canonical IPv6 form (RFC 5952)',
};

/**
 * A policy CIDR rewritten in canonical form, guarded by a test of the value as written. Only
 * RFC 5952 spelling is a fix (every parser reads the same network). Host bits and IPv4 leading
 * zeros are a suggestion, and only in NetworkPolicy ipBlocks, which the apiserver reads as the
 * canonical network (ValidateIPBlock's legacy parser); a CNI's own reading of a CRD may differ.
 * An IPv4-mapped address has no patch: which family was meant is a choice.
 */
function rewrite(path: readonly (string | number)[], text: string, canonical: string, forms: readonly NonstandardForm[], api: boolean): Pick<RuleReport, 'fix' | 'suggest'> {
  if (forms.length === 0 || forms.includes('ipv4Mapped') || canonical === text) return {};
  const ops = [{ op: 'test' as const, path: pointer(path), value: text }, { op: 'replace' as const, path: pointer(path), value: canonical }];
  if (forms.every((f) => f === 'nonCanonicalIPv6')) return { fix: ops };
  return api ? { suggest: ops } : {};
}

/** Forms the strict validation (KEP-4858) rejects; non-canonical IPv6 only warns. */
const severityOf = (form: NonstandardForm, apiField: boolean): Severity =>
  form === 'nonCanonicalIPv6' ? 'low' : apiField ? 'medium' : 'low';

const ENGINE: Readonly<Record<string, string>> = {
  kubernetes: 'NetworkPolicy', cilium: 'Cilium policy', calico: 'Calico policy', admin: 'Admin network policy', 'gke-fqdn': 'FQDNNetworkPolicy',
};

function canonicalOf(text: string): string | undefined {
  const c = text.includes('/') ? parseCIDR(text) : undefined;
  if (c) return c.canonical;
  if (text.includes('-') && !text.includes('/')) {
    const [a, b] = text.split('-').map((s) => parseIP(s.trim()));
    return a && b ? `${a.canonical}-${b.canonical}` : undefined;
  }
  return parseIP(text)?.canonical;
}

function formsOf(text: string): readonly NonstandardForm[] | undefined {
  if (!text.includes('/') && text.includes('-')) {
    const parts = text.split('-').map((s) => nonstandardForms(s.trim()));
    if (parts.some((p) => p === undefined)) return undefined;
    return [...new Set(parts.flatMap((p) => p!))];
  }
  return nonstandardForms(text);
}

export default defineRule<FormTarget>({
  meta: {
    id: 'cidr-nonstandard-form',
    fixable: 'both',
    title: 'IP addresses and CIDRs in non-standard or invalid form',
    category: 'addressing',
    severity: 'medium',
    scope: ['ClusterConfiguration', 'Cluster', 'ConfigMap', 'ServiceCIDR', 'IPPool', 'IPAddressPool', 'Node', 'Service', 'NetworkPolicy', 'CiliumNetworkPolicy', 'GlobalNetworkPolicy'],
    rationale:
      'Kubernetes has long accepted IPv4 parts with leading zeros, IPv4-mapped IPv6 addresses and CIDRs with host bits set. StrictIPCIDRValidation (KEP-4858, alpha in 1.33, beta targeted at 1.36) rejects them in API fields, ' +
      'and tools disagree about what they mean (010 is octal for some). Non-canonical IPv6 (upper case, zero padding, uncompressed) is accepted with a warning but breaks string comparison in allow lists, ' +
      'Prometheus relabelling and diffs. A value that does not parse at all stops the component that reads it.',
    docs: {
      noFixedExample: 'The canonical text is named in the message; the value often sits inside a longer string (a comma-separated list, a flag), which a JSON Patch cannot edit in place.',
      notes: 'Checks the address plan of the cluster configuration objects, the Service fields clusterIP(s), externalIPs, loadBalancerIP and loadBalancerSourceRanges, and the CIDRs of network policies (NetworkPolicy ipBlocks medium, CRD policies low; values that do not parse are left to the policy rules). Medium for apiserver-validated fields (Services, ServiceCIDR, Node podCIDRs), low for other configuration and for non-canonical IPv6. Values that do not parse are critical in configuration (the component does not start); invalid Service values are reported by service-ip-config-rejected. Sources: kep:4858-ip-cidr-validation.',
    },
    fix: { summary: 'Write the canonical form: the network address of a CIDR, IPv4 without leading zeros, plain IPv4 instead of ::ffff:a.b.c.d, IPv6 as RFC 5952 prints it.', byMessage: { config: 'Write {canonical}.', service: 'Write {canonical}.', policy: 'Write {canonical}.' } },
    messages: {
      config: '{what} {value} {form}; canonical: {canonical}',
      service: 'Service {field} {value} {form}; canonical: {canonical}',
      policy: '{engine} CIDR {value} {form}; canonical: {canonical}',
      invalid: '{what} {value} is not a valid {kind}, so the component that reads it fails',
    },
    references: ['https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/4858-ip-cidr-validation/kep.yaml', 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/4858-ip-cidr-validation/README.md'],
  },
  *targets({ model }) {
    for (const f of model.clusterConfig.cidrs) if (!f.defaulted) yield { ...factTarget(f), svc: undefined, policy: undefined };
    for (const svc of model.services) if (serviceAddresses(svc).length > 0) yield { ...serviceTarget(svc), fact: undefined, policy: undefined };
    for (const policy of allPolicies(model)) if (policyCidrs(policy).length > 0) yield { ...policyTarget(policy), fact: undefined, svc: undefined };
  },
  *check(t): Generator<RuleReport> {
    if (t.fact) {
      const f = t.fact;
      const forms = formsOf(f.text);
      if (!forms) {
        yield { messageId: 'invalid', path: f.site.path, severity: 'critical', data: { what: where(f.site), value: f.text, kind: f.isRange ? 'address range' : 'CIDR' } };
        return;
      }
      // A Node address is read as a host prefix (model/cluster-config.ts); it is shown and fixed as the address it is.
      const value = f.site.path.at(-1) === 'address' ? f.text.replace(/\/(32|128)$/, '') : f.text;
      for (const form of forms) {
        yield {
          messageId: 'config', path: f.site.path, severity: severityOf(form, f.apiField),
          data: { what: where(f.site), value, form: FORM_TEXT[form], canonical: canonicalOf(value) ?? value },
        };
      }
      return;
    }
    if (t.policy) {
      // NetworkPolicy ipBlocks are apiserver-validated (KEP-4858 lists them): medium; CRD policies low.
      const api = t.policy.engine === 'kubernetes';
      for (const v of policyCidrs(t.policy)) {
        if (!v.cidr) continue; // invalid CIDRs are the policy rules' (the apiserver or CRD rejects them)
        const forms = nonstandardForms(v.text.trim()) ?? [];
        const patch = rewrite(v.path, v.text, v.cidr.canonical, forms, api);
        for (const form of forms) {
          yield {
            messageId: 'policy', path: v.path, severity: severityOf(form, api),
            data: { engine: ENGINE[t.policy.engine] ?? t.policy.engine, value: v.text, form: FORM_TEXT[form], canonical: v.cidr.canonical },
            ...patch,
          };
        }
      }
      return;
    }
    for (const a of serviceAddresses(t.svc)) {
      const text = a.text.trim();
      const forms = a.kind === 'cidr' ? (text.includes('/') ? nonstandardForms(text) : undefined) : text.includes('/') ? undefined : nonstandardForms(text);
      if (!forms) continue; // invalid values: service-ip-config-rejected
      for (const form of forms) {
        yield { messageId: 'service', path: a.path, severity: severityOf(form, true), data: { field: a.field, value: a.text, form: FORM_TEXT[form], canonical: canonicalOf(text) ?? text } };
      }
    }
  },
});
