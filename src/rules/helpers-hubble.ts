// Helpers of the Hubble rules: Cilium's dual-stack state and Hubble FlowFilter JSON. Pure.

import type { Model } from '../model/build.ts';
import type { CiliumConfig } from '../model/observability.ts';

/** Cilium runs dual-stack: a cilium-config with IPv4 and IPv6 on, else (no cilium-config) a dual-stack target cluster. */
export function ciliumDualStack(model: Model): { dual: boolean; evidence: string } {
  const cfgs = model.observability.ciliumConfigs;
  if (cfgs.length === 0) {
    return { dual: model.clusterFamilies.families.length === 2, evidence: `the target cluster is ${model.clusterFamilies.families.join(', ')}` };
  }
  const on = (c: CiliumConfig): boolean => c.data['enable-ipv6'] === 'true' && c.data['enable-ipv4'] !== 'false';
  const c = cfgs.find(on);
  return c ? { dual: true, evidence: `cilium-config ${c.ref.namespace ?? 'default'}/${c.ref.name} enables IPv4 and IPv6` } : { dual: false, evidence: 'cilium-config leaves IPv6 off' };
}

/** FlowFilter objects of a hubble-export-allowlist/denylist value: one JSON object, a JSON list, or objects separated by commas or newlines. */
export function parseFlowFilters(text: string): Record<string, unknown>[] | undefined {
  const t = text.trim();
  if (t === '') return [];
  for (const candidate of [t, `[${t}]`, `[${t.replace(/\}\s*\n\s*\{/g, '},{')}]`]) {
    try {
      const v = JSON.parse(candidate) as unknown;
      const list = Array.isArray(v) ? v : [v];
      if (list.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) return list as Record<string, unknown>[];
    } catch {
      // try the next form
    }
  }
  return undefined;
}
