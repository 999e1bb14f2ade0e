import { defineRule, type RuleReport, type Target } from './types.ts';
import type { CiliumConfig } from '../model/observability.ts';
import { familyOfIPOrCIDR } from '../emulate/ip.ts';
import { ciliumDualStack, parseFlowFilters } from '../model/observability.ts';

interface CfgTarget extends Target {
  readonly cfg: CiliumConfig;
}

const KEY = 'hubble-export-allowlist';
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The filter only admits IPv4 flows: IPv4 source/destination IPs, or ip_version IPv4 only. */
function ipv4Only(f: Record<string, unknown>): string | undefined {
  const versions = Array.isArray(f.ip_version) ? f.ip_version.map((v) => String(v)) : [];
  if (versions.length > 0 && versions.every((v) => v === 'IPv4' || v === '1')) return `ip_version ${JSON.stringify(f.ip_version)}`;
  for (const k of ['source_ip', 'destination_ip']) {
    const ips = strs(f[k]);
    if (ips.length > 0 && ips.every((ip) => familyOfIPOrCIDR(ip.trim()) === 'IPv4')) return `${k} ${JSON.stringify(ips)}`;
  }
  return undefined;
}

export default defineRule<CfgTarget>({
  meta: {
    id: 'hubble-export-filter-single-family',
    title: 'Hubble flow export allowlists that only admit IPv4 flows',
    category: 'observability',
    severity: 'low',
    scope: ['ConfigMap'],
    rationale:
      'hubble-export-allowlist holds Hubble FlowFilters: a flow is exported when it matches one of them. source_ip and destination_ip take exact addresses or CIDRs, and ip_version takes IPv4 or IPv6. ' +
      'When every filter names only IPv4 addresses or ip_version IPv4, IPv6 flows are silently left out of the exported flow logs, so the audit trail and the IPv6 troubleshooting data of a dual-stack cluster are missing.',
    docs: {
      noFixedExample: 'The ranges or addresses to add for the other family are the site\'s own, which only its operators know.',
      notes: 'Read from the cilium-config ConfigMap (key hubble-export-allowlist: one FlowFilter JSON object, a list, or objects separated by commas or newlines). Evaluated when Cilium is dual-stack (enable-ipv6 "true" in cilium-config; without a cilium-config, when the target cluster is dual-stack). The dynamic flow-log exporter ConfigMap is not read. Source: cilium api/v1/flow/flow.proto (FlowFilter source_ip, destination_ip, ip_version)',
    },
    fix: { summary: 'Add a filter with the IPv6 ranges (or ip_version IPv6) next to the IPv4 one, so that IPv6 flows are exported too.', byMessage: { unparsed: 'Check what Hubble exports.' } },
    messages: {
      ipv4Only: 'hubble-export-allowlist only admits IPv4 flows ({why}) while {evidence}, so IPv6 flows are left out of the exported flow logs',
      unparsed: 'hubble-export-allowlist is not FlowFilter JSON ({value}), so whether IPv6 flows are exported is unknown',
    },
    references: ['https://github.com/cilium/cilium/blob/main/install/kubernetes/cilium/templates/cilium-configmap.yaml', 'https://github.com/cilium/cilium/blob/main/api/v1/flow/flow.proto'],
  },
  *targets({ model }) {
    if (!ciliumDualStack(model).dual) return;
    for (const cfg of model.observability.ciliumConfigs) {
      if (cfg.data[KEY] !== undefined && cfg.data[KEY]!.trim() !== '') yield { ref: cfg.ref, ...(cfg.source ? { source: cfg.source } : {}), annotations: cfg.annotations, cfg };
    }
  },
  *check({ cfg }, { model }): Generator<RuleReport> {
    const text = cfg.data[KEY]!;
    const filters = parseFlowFilters(text);
    if (!filters) {
      yield { messageId: 'unparsed', path: ['data', KEY], severity: 'info', data: { value: text.length > 60 ? `${text.slice(0, 57)}...` : text } };
      return;
    }
    const why = filters.map(ipv4Only);
    if (filters.length === 0 || why.some((w) => w === undefined)) return;
    yield { messageId: 'ipv4Only', path: ['data', KEY], data: { why: [...new Set(why)].join('; '), evidence: ciliumDualStack(model).evidence } };
  },
});
