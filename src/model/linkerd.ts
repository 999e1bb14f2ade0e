// Linkerd's traffic redirection and whether it covers IPv6: the proxy-init container of meshed
// pod templates, the control plane's stored Helm values (linkerd-config) and the linkerd-cni
// plugin's configuration. Pure: no I/O.
//
// linkerd/linkerd2-proxy-init proxy-init/cmd/root.go: --ipv6 (default true since proxy-init
// v2.3.0, #350) makes proxy-init write the same rules with ip6tables after iptables; with
// --ipv6=false only the IPv4 rules are written. cni-plugin/main.go: the CNI plugin reads
// "ipv6" from the "linkerd" section of its configuration (Go zero value false when absent).
// linkerd/linkerd2 charts/partials/templates/_proxy-init.tpl renders --ipv6=false when the Helm
// value disableIPv6 is true, its default in charts/linkerd-control-plane/values.yaml and
// charts/linkerd2-cni/values.yaml; the proxy injector renders injected pods from the values
// stored in the linkerd-config ConfigMap (data.values).

import type { Container, ConfigMap, Located } from './workloads.ts';
import { loadAllEmbedded } from '../yaml/embedded.ts';
import { isObject } from './resources.ts';

/** Go's strconv.ParseBool false values (cobra reads --ipv6=<value> with it). */
const GO_FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** A container that runs linkerd2-proxy-init: the linkerd-init container, the proxy-init image, or the binary bundled in the proxy image. */
export function isProxyInit(c: Container): boolean {
  if (/(^|\/)proxy-init(:|@|$)/.test(c.image ?? '') && /linkerd/.test(c.image ?? '')) return true;
  if (c.command.some((a) => /(^|\/)linkerd2-proxy-init$/.test(a.value.trim()))) return true;
  return c.init && c.name === 'linkerd-init';
}

/** The --ipv6=<false> argument of a proxy-init container, when it has one. */
export function ipv6DisabledArg(c: Container): Located | undefined {
  for (const a of [...c.command, ...c.args]) {
    const m = /^--ipv6=(.*)$/.exec(a.value.trim());
    if (m && GO_FALSE.has(m[1]!)) return a;
  }
  return undefined;
}

/** The proxy-init image's version when it predates --ipv6 (v2.3.0): such an image writes IPv4 rules only. */
export function preIpv6ProxyInit(c: Container): string | undefined {
  const m = /(^|\/)proxy-init:v?(\d+)\.(\d+)\.(\d+)/.exec(c.image ?? '');
  if (!m) return undefined;
  const [maj, min] = [Number(m[2]), Number(m[3])];
  return maj < 2 || (maj === 2 && min < 3) ? `v${m[2]}.${m[3]}.${m[4]}` : undefined;
}

/** 1-based line of the first line of `text` matching `re`. */
const lineOf = (text: string, re: RegExp): number | undefined => {
  const i = text.split('\n').findIndex((l) => re.test(l));
  return i >= 0 ? i + 1 : undefined;
};

export interface LinkerdValues {
  readonly disableIPv6?: boolean;
  /** Line of `disableIPv6:` inside data.values. */
  readonly line?: number;
}

/** The Helm values the control plane stored in its linkerd-config ConfigMap (data.values), or undefined for another ConfigMap. */
export function readLinkerdConfig(cm: ConfigMap): LinkerdValues | undefined {
  if (cm.ref.name !== 'linkerd-config' || typeof cm.data.values !== 'string') return undefined;
  const doc = loadAllEmbedded(cm.data.values)[0];
  if (!isObject(doc)) return undefined;
  const v = doc.disableIPv6;
  if (typeof v !== 'boolean') return {};
  const line = lineOf(cm.data.values, /^disableIPv6\s*:/);
  return { disableIPv6: v, ...(line !== undefined ? { line } : {}) };
}

/** Whether readLinkerdConfig or readLinkerdCni reads this ConfigMap (the live read keeps it: model/recognised.ts). */
export function isLinkerdConfigMap(name: string, data: Readonly<Record<string, unknown>>): boolean {
  if (name === 'linkerd-config' && typeof data.values === 'string') return true;
  const cni = data.cni_network_config;
  return typeof cni === 'string' && /"type"\s*:\s*"linkerd-cni"/.test(cni);
}

export interface LinkerdCniConfig {
  /** linkerd.ipv6 as written; undefined when absent (the plugin then reads false). */
  readonly ipv6?: boolean;
  /** Line of "ipv6" (or of "linkerd" when it is absent) inside cni_network_config. */
  readonly line?: number;
}

/** The linkerd-cni plugin configuration (data.cni_network_config of type linkerd-cni), or undefined. */
export function readLinkerdCni(cm: ConfigMap): LinkerdCniConfig | undefined {
  const text = cm.data.cni_network_config;
  if (typeof text !== 'string') return undefined;
  let conf: unknown;
  try {
    conf = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(conf) || conf.type !== 'linkerd-cni') return undefined;
  const l = isObject(conf.linkerd) ? conf.linkerd : {};
  const ipv6 = typeof l.ipv6 === 'boolean' ? l.ipv6 : undefined;
  const line = ipv6 !== undefined ? lineOf(text, /"ipv6"\s*:/) : lineOf(text, /"linkerd"\s*:/);
  return { ...(ipv6 !== undefined ? { ipv6 } : {}), ...(line !== undefined ? { line } : {}) };
}
