import { defineRule, type RuleReport, type Target } from './types.ts';
import type { CiliumConfig } from '../model/observability.ts';
import { liveRead } from '../model/live.ts';

interface CfgTarget extends Target {
  readonly cfg: CiliumConfig;
}

export default defineRule<CfgTarget>({
  meta: {
    id: 'hubble-ipv6-drops',
    fixable: 'suggestion',
    title: 'Cilium with IPv6 off on nodes that have IPv6: IPv6 packets are dropped',
    category: 'observability',
    severity: 'high',
    scope: ['ConfigMap'],
    rationale:
      'With enable-ipv6 "false" Cilium compiles its endpoint datapath without IPv6: an IPv6 packet from a pod falls into the unknown-L3 branch and is dropped (DROP_UNKNOWN_L3, bpf_lxc.c). ' +
      'Hubble records these as verdict DROPPED with drop reason UNSUPPORTED_L3_PROTOCOL (139), not as forwarded flows. On nodes that have IPv6 addresses, in a cluster meant to be dual-stack, ' +
      'pods get no IPv6 address and anything that tries IPv6 fails; a spike of UNSUPPORTED_L3_PROTOCOL drops is the live symptom of this misconfiguration.',
    docs: {
      notes: 'Live only (a cluster read or a snapshot): the cilium-config ConfigMap with enable-ipv6 not "true" (Cilium\'s default is off) and Nodes with an IPv6 InternalIP or IPv6 pod CIDR. The Hubble flows themselves are not read: the message names the drop reason to look for (hubble observe --verdict DROPPED --type drop, reason UNSUPPORTED_L3_PROTOCOL). The configuration side is cni-ipv6-disabled\'s; this rule is its live evidence. Sources: cilium bpf/bpf_lxc.c (cil_from_container, ENABLE_IPV6), bpf/lib/common.h (DROP_UNKNOWN_L3 = -139), api/v1/flow/flow.proto',
    },
    fix: { summary: 'Enable IPv6 in Cilium (Helm ipv6.enabled=true, i.e. enable-ipv6: "true") with an IPv6 pod range, then check that Hubble no longer shows UNSUPPORTED_L3_PROTOCOL drops.' },
    messages: {
      drops: 'Cilium runs with IPv6 off (enable-ipv6 {value}) while {nodes} of {total} nodes have IPv6 addresses, so IPv6 packets are dropped (UNSUPPORTED_L3_PROTOCOL)',
    },
    references: ['https://github.com/cilium/cilium/blob/main/install/kubernetes/cilium/templates/cilium-configmap.yaml', 'https://github.com/cilium/cilium/blob/main/api/v1/flow/flow.proto', 'https://github.com/cilium/cilium/blob/main/bpf/bpf_lxc.c'],
    liveOnly: true,
  },
  *targets({ model }) {
    if (!liveRead(model, 'Node') || !liveRead(model, 'ConfigMap')) return;
    for (const cfg of model.observability.ciliumConfigs) {
      yield { ref: cfg.ref, ...(cfg.source ? { source: cfg.source } : {}), annotations: cfg.annotations, cfg };
    }
  },
  *check({ cfg }, { model }): Generator<RuleReport> {
    if (cfg.data['enable-ipv6'] === 'true') return;
    const nodes = model.live!.nodes;
    const v6 = nodes.filter((n) => n.internalIPFamilies.includes('IPv6') || n.podCIDRFamilies.includes('IPv6'));
    if (v6.length === 0) return;
    const value = cfg.data['enable-ipv6'];
    yield {
      messageId: 'drops', path: value !== undefined ? ['data', 'enable-ipv6'] : ['data'],
      data: { value: value !== undefined ? JSON.stringify(value) : 'unset, default "false"', nodes: v6.length, total: nodes.length },
      suggest: [{ op: value !== undefined ? 'replace' : 'add', path: '/data/enable-ipv6', value: 'true' }],
    };
  },
});
