// GKE Multi Cluster Ingress (networking.gke.io MultiClusterIngress): the frontend address it
// asks for and the address it got. Pure: no I/O.
//
// The reserved address is named by its IP in the networking.gke.io/static-ip annotation
// (GoogleCloudPlatform/gke-networking-recipes ingress/multi-cluster/mci-frontend-config/README.md:
// "update networking.gke.io/static-ip value with the IP address you reserved"; Google's
// "Deploying Ingress across clusters" page, section "Static IP addresses"). The address the
// load balancer got is status.VIP (same README, `kubectl describe mci`).

import type { Family, InputDocument, JsonPath } from './types.ts';
import { isObject, str, toResource, type Resource } from './resources.ts';
import { parseIP } from '../emulate/ip.ts';

export const MCI_STATIC_IP = 'networking.gke.io/static-ip';

export interface MultiClusterIngress extends Resource {
  /** The static-ip annotation as written, its family when it is an IP literal. */
  readonly staticIP?: { readonly value: string; readonly family?: Family; readonly path: JsonPath };
  /** status.VIP, with its family when it parses. */
  readonly vip?: { readonly ip: string; readonly family?: Family };
  /** spec.template.spec (rules, default backend, tls) as canonical JSON: two MCIs with the same key route alike. */
  readonly routeKey: string;
}

const familyOf = (v: string): Family | undefined => {
  const ip = parseIP(v.trim());
  return ip ? ip.family : undefined;
};

/** JSON with sorted keys, so that key order does not matter. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

export function readMultiClusterIngress(doc: InputDocument): MultiClusterIngress | undefined {
  const o = doc.object;
  if (o.kind !== 'MultiClusterIngress' || typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith('networking.gke.io/')) return undefined;
  const r = toResource(doc);
  const spec = isObject(o.spec) && isObject(o.spec.template) && isObject(o.spec.template.spec) ? o.spec.template.spec : {};
  const status = isObject(o.status) ? o.status : {};
  const ann = r.annotations[MCI_STATIC_IP];
  const vip = str(status.VIP);
  const staticFamily = ann !== undefined ? familyOf(ann) : undefined;
  const vipFamily = vip !== undefined ? familyOf(vip) : undefined;
  return {
    ...r,
    ...(ann !== undefined && ann.trim() !== ''
      ? { staticIP: { value: ann.trim(), ...(staticFamily ? { family: staticFamily } : {}), path: ['metadata', 'annotations', MCI_STATIC_IP] } }
      : {}),
    ...(vip ? { vip: { ip: vip, ...(vipFamily ? { family: vipFamily } : {}) } } : {}),
    routeKey: canonical({ backend: spec.backend, rules: spec.rules, tls: spec.tls }),
  };
}

export function buildMultiClusterIngresses(docs: readonly InputDocument[]): MultiClusterIngress[] {
  const out: MultiClusterIngress[] = [];
  for (const d of docs) {
    const m = readMultiClusterIngress(d);
    if (m) out.push(m);
  }
  return out;
}
