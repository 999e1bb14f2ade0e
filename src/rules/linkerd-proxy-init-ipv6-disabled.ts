import { defineRule, type RuleReport, type Target } from './types.ts';
import type { ConfigMap, Container, Workload } from '../model/workloads.ts';
import { WORKLOAD_KINDS } from '../model/workloads.ts';
import { ipv6DisabledArg, isProxyInit, preIpv6ProxyInit, readLinkerdCni, readLinkerdConfig, type LinkerdCniConfig, type LinkerdValues } from '../model/linkerd.ts';

type LinkerdTarget = Target & (
  | { readonly what: 'values'; readonly cm: ConfigMap; readonly values: LinkerdValues; readonly templates: number }
  | { readonly what: 'cni'; readonly cm: ConfigMap; readonly cni: LinkerdCniConfig }
  | { readonly what: 'init'; readonly workload: Workload; readonly container: Container }
);

export default defineRule<LinkerdTarget>({
  meta: {
    id: 'linkerd-proxy-init-ipv6-disabled',
    title: 'Linkerd redirects IPv4 traffic only: IPv6 bypasses the mesh',
    category: 'policy',
    severity: 'high',
    scope: ['ConfigMap', ...WORKLOAD_KINDS],
    rationale:
      'Linkerd\'s proxy-init (the linkerd-init container, or the linkerd-cni plugin) writes the iptables rules that send every connection of a meshed pod through its linkerd2-proxy sidecar. ' +
      'With --ipv6=false it writes them with iptables only and never with ip6tables, so on a pod with an IPv6 address every IPv6 connection, in or out, goes straight to the application or the network: ' +
      'no mTLS, no authorization policy (Server, AuthorizationPolicy), no retries and no metrics for that family, and inbound IPv6 clients reach ports the policy was meant to guard. ' +
      'Linkerd\'s Helm charts render --ipv6=false (and the CNI plugin\'s "ipv6": false) whenever the value disableIPv6 is true, and true is the charts\' default.',
    docs: {
      noFixedExample: 'The flag is rendered from the Helm value disableIPv6, which also moves the proxy\'s listeners from 0.0.0.0 to [::]: removing the argument alone would send IPv6 to a proxy that does not listen on it.',
      notes: 'Read from: the control plane\'s linkerd-config ConfigMap (data.values, disableIPv6: true), which the proxy injector renders every meshed pod from; the linkerd-cni plugin ConfigMap (cni_network_config of type linkerd-cni, "ipv6" false or absent); ' +
        'and every pod template whose proxy-init container has --ipv6=false (Go boolean false values; folded into the linkerd-config finding when that is in the input) or a proxy-init image before v2.3.0, which has no IPv6 support. ' +
        'The linkerd-config finding counts the pod templates of the input that carry the flag, so one Helm value gives one finding. High on a cluster with IPv6, low on an IPv4-only one (it matters once IPv6 is turned on). ' +
        'Sources: linkerd2-proxy-init proxy-init/cmd/root.go and cni-plugin/main.go; linkerd2 charts/partials/templates/_proxy-init.tpl, charts/linkerd-control-plane/values.yaml, charts/linkerd2-cni/values.yaml and templates/cni-plugin.yaml.',
    },
    fix: {
      summary: 'Set the Helm value disableIPv6: false (linkerd-control-plane, and linkerd2-cni when the CNI plugin is used; or linkerd upgrade --set disableIPv6=false) and restart meshed workloads, so proxy-init writes ip6tables rules and the proxy listens on [::]. Needs proxy-init v2.3.0 and linkerd-cni v1.4.0 or later.',
      byMessage: {
        initOld: 'Upgrade Linkerd so that proxy-init is v2.3.0 or later, then set the Helm value disableIPv6: false and restart meshed workloads',
      },
    },
    messages: {
      values: 'linkerd-config stores disableIPv6: true, so the proxy injector gives every meshed pod proxy-init --ipv6=false ({templates}): no ip6tables rules, IPv6 traffic bypasses the proxy (no mTLS, no policy)',
      cni: 'linkerd-cni configuration has "ipv6": {value}, so the CNI plugin writes no ip6tables rules: IPv6 traffic of meshed pods bypasses the proxy (no mTLS, no policy)',
      initArg: 'proxy-init runs with {arg}, so it writes no ip6tables rules: IPv6 traffic of this pod bypasses the Linkerd proxy (no mTLS, no policy)',
      initOld: 'proxy-init {version} predates IPv6 support (v2.3.0), so it writes no ip6tables rules: IPv6 traffic of this pod bypasses the Linkerd proxy (no mTLS, no policy)',
    },
    references: [
      'https://github.com/linkerd/linkerd2-proxy-init/blob/main/proxy-init/cmd/root.go',
      'https://github.com/linkerd/linkerd2-proxy-init/blob/main/cni-plugin/main.go',
      'https://github.com/linkerd/linkerd2-proxy-init/pull/350',
      'https://github.com/linkerd/linkerd2/blob/main/charts/partials/templates/_proxy-init.tpl',
      'https://github.com/linkerd/linkerd2/blob/main/charts/linkerd-control-plane/values.yaml',
      'https://github.com/linkerd/linkerd2/blob/main/charts/linkerd2-cni/templates/cni-plugin.yaml',
    ],
  },
  *targets({ model }) {
    const low = !model.clusterFamilies.families.includes('IPv6') ? { severity: 'low' as const } : {};
    const inits: { workload: Workload; container: Container }[] = [];
    for (const workload of model.workloads) {
      for (const container of workload.containers) if (isProxyInit(container)) inits.push({ workload, container });
    }
    let rootCause = false;
    for (const cm of model.configMaps.values()) {
      const values = readLinkerdConfig(cm);
      if (values?.disableIPv6 === true) {
        rootCause = true;
        const templates = inits.filter((i) => ipv6DisabledArg(i.container)).length;
        yield { ref: cm.ref, ...(cm.source ? { source: cm.source } : {}), annotations: cm.annotations, ...low, what: 'values', cm, values, templates };
      } else if (values) {
        yield { ref: cm.ref, ...(cm.source ? { source: cm.source } : {}), annotations: cm.annotations, ...low, what: 'values', cm, values, templates: 0 };
      }
      const cni = readLinkerdCni(cm);
      if (cni) yield { ref: cm.ref, ...(cm.source ? { source: cm.source } : {}), annotations: cm.annotations, ...low, what: 'cni', cm, cni };
    }
    // With the stored values in the input, the pod templates' flag is their consequence (one Helm value to
    // change): only a proxy-init too old for IPv6 is a thing of its own to change there.
    for (const { workload, container } of inits) {
      if (rootCause && (ipv6DisabledArg(container) || !preIpv6ProxyInit(container))) continue;
      yield { ref: workload.ref, ...(workload.source ? { source: workload.source } : {}), annotations: workload.annotations, ...low, what: 'init', workload, container };
    }
  },
  *check(t): Generator<RuleReport> {
    if (t.what === 'values') {
      if (t.values.disableIPv6 !== true) return;
      const templates = t.templates === 0 ? 'no meshed pod template in the input yet' : `${t.templates} pod template${t.templates === 1 ? '' : 's'} in the input carry it`;
      yield { messageId: 'values', path: ['data', 'values'], data: { templates }, ...(t.values.line !== undefined ? { textLine: t.values.line } : {}) };
    } else if (t.what === 'cni') {
      if (t.cni.ipv6 === true) return;
      yield { messageId: 'cni', path: ['data', 'cni_network_config'], data: { value: t.cni.ipv6 === undefined ? 'absent (read as false)' : 'false' }, ...(t.cni.line !== undefined ? { textLine: t.cni.line } : {}) };
    } else {
      const arg = ipv6DisabledArg(t.container);
      if (arg) {
        yield { messageId: 'initArg', path: arg.path, data: { arg: arg.value.trim() } };
        return;
      }
      const version = preIpv6ProxyInit(t.container);
      if (version) yield { messageId: 'initOld', path: [...t.container.path, 'image'], data: { version } };
    }
  },
});
