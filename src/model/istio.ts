// Istio facts the vendor rules read: whether istiod and the proxies get ISTIO_DUAL_STACK, from
// istiod containers (a rendered chart) and IstioOperator objects. Pure. Sources (istio/istio):
// pilot/pkg/features/experimental.go (ISTIO_DUAL_STACK, default false), pilot/pkg/networking/core
// (gateway.go, listener_builder.go, listener_address.go: the second wildcard "::" only with it),
// tools/istio-iptables/pkg/cmd/root.go (ipv4/ipv6 redirects for dual-stack only with it),
// manifests/profiles (empty: nothing installed; remote: no local control plane).

import type { InputDocument, JsonPath } from './types.ts';
import type { Workload } from './workloads.ts';
import { isObject, toResource, type Resource } from './resources.ts';

/** One place that sets ISTIO_DUAL_STACK for istiod or for the proxies. */
export interface DualStackSetting {
  readonly for: 'istiod' | 'proxies';
  /** As written (a string or a YAML boolean as text); undefined when unset. */
  readonly value?: string;
  /** The field; where it would go when unset. */
  readonly path: JsonPath;
  /** When unset: the JSON Patch add that sets it to "true" (at the deepest parent that exists). */
  readonly add?: { readonly path: JsonPath; readonly value: unknown };
}

export interface IstioInstall extends Resource {
  readonly via: 'istiod' | 'IstioOperator';
  readonly settings: readonly DualStackSetting[];
  /** istiod: the container's name. */
  readonly container?: string;
}

export interface IstioModel {
  readonly installs: readonly IstioInstall[];
}

/** An istiod container: the pilot image, or the pilot-discovery binary's discovery subcommand. */
const isIstiod = (image: string | undefined, args: readonly string[]): boolean =>
  (image !== undefined && /(^|\/)pilot(:|@|$)/.test(image)) || (args[0] === 'discovery' && image !== undefined && /istio/.test(image));

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'boolean' || typeof v === 'number' ? String(v) : undefined);

function at(o: unknown, path: readonly string[]): unknown {
  let cur = o;
  for (const k of path) cur = isObject(cur) ? cur[k] : undefined;
  return cur;
}

/** The add that creates `path` with value "true" under the deepest existing object. */
function addAt(root: unknown, path: readonly string[]): { path: JsonPath; value: unknown } | undefined {
  let cur = root;
  let i = 0;
  while (i < path.length - 1 && isObject(cur) && isObject(cur[path[i]!])) cur = cur[path[i++]!];
  if (!isObject(cur)) return undefined;
  let value: unknown = 'true';
  for (let j = path.length - 1; j > i; j--) value = { [path[j]!]: value };
  return { path: path.slice(0, i + 1), value };
}

function setting(root: unknown, forWhat: DualStackSetting['for'], p: readonly string[]): DualStackSetting {
  const v = text(at(root, p));
  if (v !== undefined) return { for: forWhat, value: v, path: p };
  const add = addAt(root, p);
  return { for: forWhat, path: p, ...(add ? { add } : {}) };
}

function operator(doc: InputDocument): IstioInstall | undefined {
  const spec = at(doc.object, ['spec']);
  const profile = text(at(spec, ['profile'])) ?? 'default';
  const pilot = at(spec, ['components', 'pilot', 'enabled']);
  if (profile === 'empty' && pilot !== true) return undefined;
  const settings: DualStackSetting[] = [];
  // remote: the injector only, istiod runs elsewhere; its proxies still need the setting.
  if (profile !== 'remote' && pilot !== false) {
    settings.push(setting(doc.object, 'istiod', ['spec', 'values', 'pilot', 'env', 'ISTIO_DUAL_STACK']));
  }
  settings.push(setting(doc.object, 'proxies', ['spec', 'meshConfig', 'defaultConfig', 'proxyMetadata', 'ISTIO_DUAL_STACK']));
  return { ...toResource(doc), via: 'IstioOperator', settings };
}

const ENV = { name: 'ISTIO_DUAL_STACK', value: 'true' };

export function buildIstioModel(docs: readonly InputDocument[], workloads: readonly Workload[]): IstioModel {
  const installs: IstioInstall[] = [];
  for (const w of workloads) {
    for (const c of w.containers) {
      if (c.init || !isIstiod(c.image, c.args.map((a) => a.value))) continue;
      const env = c.env.find((e) => e.name === 'ISTIO_DUAL_STACK');
      // A value from a ConfigMap or field reference is not known here.
      if (env && env.value === undefined) continue;
      installs.push({
        ref: w.ref, ...(w.source ? { source: w.source } : {}), labels: w.labels, annotations: w.annotations, via: 'istiod', container: c.name,
        settings: [{
          for: 'istiod',
          ...(env
            ? { value: env.value!, path: [...env.path, 'value'] }
            : { path: [...c.path, 'env'], add: c.env.length > 0 ? { path: [...c.path, 'env', '-'], value: ENV } : { path: [...c.path, 'env'], value: [ENV] } }),
        }],
      });
    }
  }
  for (const doc of docs) {
    const o = doc.object;
    if (o.kind === 'IstioOperator' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('install.istio.io/')) {
      const i = operator(doc);
      if (i) installs.push(i);
    }
  }
  return { installs };
}
