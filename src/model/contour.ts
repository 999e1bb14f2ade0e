// Contour facts the vendor rules read: where the Envoy HTTP and HTTPS listener addresses come
// from (contour serve flags, a ContourConfiguration, a ContourDeployment's runtimeSettings).
// Pure. Sources (projectcontour/contour): cmd/contour/serve.go (flags, getConfig: a named
// ContourConfiguration replaces the flags), cmd/contour/servecontext.go (flag defaults 0.0.0.0),
// internal/contourconfig/contourconfiguration.go (Defaults: 0.0.0.0), internal/envoy/v3/listener.go
// (SocketAddress: "::" gets ipv4_compat, a dual-stack listener).

import type { InputDocument, JsonPath } from './types.ts';
import type { Container, Workload } from './workloads.ts';
import { isObject, str, toResource, type Resource } from './resources.ts';

export type ListenerName = 'http' | 'https';

export interface ListenerAddress {
  readonly listener: ListenerName;
  /** As written; undefined when left to Contour's default (0.0.0.0). */
  readonly value?: string;
  /** The field (or argument) that sets it; where to add it when unset. */
  readonly path: JsonPath;
  /** A flag written as one argument, --flag=value (else the value is the next argument). */
  readonly joined?: boolean;
}

/** One place that decides the Envoy listener addresses. */
export interface ContourListenerConfig extends Resource {
  readonly via: 'flags' | 'ContourConfiguration' | 'ContourDeployment';
  readonly listeners: readonly ListenerAddress[];
  /** flags: the container, for messages and fixes. */
  readonly container?: { readonly name: string; readonly path: JsonPath; readonly argsPath: JsonPath; readonly argCount: number };
}

export interface ContourModel {
  readonly configs: readonly ContourListenerConfig[];
}

export const CONTOUR_GROUP = 'projectcontour.io';
const FLAGS: Readonly<Record<ListenerName, string>> = { http: '--envoy-service-http-address', https: '--envoy-service-https-address' };

const baseName = (s: string): string => s.slice(s.lastIndexOf('/') + 1);

/** A `contour serve` container: the contour image or binary, with the serve subcommand. */
function isContourServe(c: Container): boolean {
  const words = [...c.command, ...c.args].map((a) => a.value);
  const contour = (c.image !== undefined && /(^|\/)projectcontour\/contour(:|@|$)/.test(c.image)) || (c.command[0] !== undefined && baseName(c.command[0].value) === 'contour');
  return contour && words.includes('serve');
}

/** The value of a `--flag=value` or `--flag value` argument, with the path of the argument holding it. */
function flagValue(c: Container, flag: string): { value: string; path: JsonPath; joined: boolean } | undefined {
  const words = [...c.command, ...c.args];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.value.startsWith(`${flag}=`)) return { value: w.value.slice(flag.length + 1), path: w.path, joined: true };
    if (w.value === flag && words[i + 1]) return { value: words[i + 1]!.value, path: words[i + 1]!.path, joined: false };
  }
  return undefined;
}

function fromSpec(doc: InputDocument, via: 'ContourConfiguration' | 'ContourDeployment'): ContourListenerConfig {
  const base: JsonPath = via === 'ContourConfiguration' ? ['spec'] : ['spec', 'runtimeSettings'];
  let cur: unknown = doc.object;
  for (const k of base) cur = isObject(cur) ? cur[k] : undefined;
  const envoy = isObject(cur) && isObject(cur.envoy) ? cur.envoy : undefined;
  const listeners = (['http', 'https'] as const).map((listener): ListenerAddress => {
    const l = envoy && isObject(envoy[listener]) ? envoy[listener] : undefined;
    const value = l ? str(l.address) : undefined;
    return { listener, ...(value !== undefined ? { value } : {}), path: [...base, 'envoy', listener, 'address'] };
  });
  return { ...toResource(doc), via, listeners };
}

export function buildContourModel(docs: readonly InputDocument[], workloads: readonly Workload[]): ContourModel {
  const configs: ContourListenerConfig[] = [];
  for (const w of workloads) {
    for (const c of w.containers) {
      if (c.init || !isContourServe(c)) continue;
      // serve.go getConfig: with --contour-config-name the ContourConfiguration replaces the flags
      // (judged as that object when it is in the input).
      if (flagValue(c, '--contour-config-name')) continue;
      const listeners = (['http', 'https'] as const).map((listener): ListenerAddress => {
        const f = flagValue(c, FLAGS[listener]);
        return { listener, ...(f ? { value: f.value, path: f.path, joined: f.joined } : { path: [...c.path, 'args'] }) };
      });
      configs.push({
        ref: w.ref, ...(w.source ? { source: w.source } : {}), labels: w.labels, annotations: w.annotations, via: 'flags', listeners,
        container: { name: c.name, path: c.path, argsPath: [...c.path, 'args'], argCount: c.args.length },
      });
    }
  }
  for (const doc of docs) {
    const o = doc.object;
    if (typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith(`${CONTOUR_GROUP}/`)) continue;
    if (o.kind === 'ContourConfiguration') configs.push(fromSpec(doc, 'ContourConfiguration'));
    else if (o.kind === 'ContourDeployment') configs.push(fromSpec(doc, 'ContourDeployment'));
  }
  return { configs };
}
