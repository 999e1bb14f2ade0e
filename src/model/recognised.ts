// Which ConfigMaps the model reads (pure). A live read lists ConfigMaps in every namespace and
// keeps only these, dropping the rest as each page arrives (load/cluster.ts), so application
// configuration is never stored, audited or written to a snapshot. A ConfigMap is recognised
// when a model builder would read it:
// - cluster configuration: kubeadm-config, kube-proxy, cilium-config, calico-config,
//   kube-flannel-cfg (model/cluster-config.ts);
// - a Corefile: the coredns (and AKS coredns-custom) and node-local-dns ConfigMaps, or any key
//   named Corefile or *.Corefile (model/dns.ts);
// - the ingress-nginx controller's (model/frontends.ts: named by --configmap, labelled, or a usual name);
// - Linkerd's linkerd-config (stored Helm values) and linkerd-cni configuration (model/linkerd.ts);
// - Prometheus scrape configuration in a *.yaml/*.yml key, or a JSON key mentioning world
//   (Grafana dashboards; model/observability.ts);
// - used by a pod template of the input (volume, projected volume, envFrom, configMapKeyRef:
//   model/workloads.ts), so it must be decided after the pod templates are read.

import type { InputDocument } from './types.ts';
import { isObject, toResource } from './resources.ts';
import { mayHoldClusterConfig } from './cluster-config.ts';
import { corefileRole } from './dns.ts';
import { nginxConfigMapArgs, nginxEvidence } from './frontends.ts';
import { looksLikeScrapeConfig } from './observability.ts';
import { isLinkerdConfigMap } from './linkerd.ts';
import { buildWorkload, isPodTemplateKind, type ConfigMap } from './workloads.ts';

/** "namespace/name" of the ConfigMaps the pod templates among `docs` use or name with --configmap. */
export function configMapReferences(docs: Iterable<InputDocument>): Set<string> {
  const out = new Set<string>();
  // Only the references are wanted here, not the ConfigMaps' contents: an empty map, made per call (no module state).
  const none = new Map<string, readonly ConfigMap[]>();
  for (const doc of docs) {
    if (!isPodTemplateKind(doc.object.apiVersion, doc.object.kind)) continue;
    for (const u of buildWorkload(doc, none)?.configMaps ?? []) out.add(`${u.namespace}/${u.name}`);
    nginxConfigMapArgs(doc, out);
  }
  return out;
}

/** Whether a model builder reads this ConfigMap; `referenced` is configMapReferences of the pod templates. */
export function recognisedConfigMap(doc: InputDocument, referenced: ReadonlySet<string>): boolean {
  const o = doc.object;
  if (o.kind !== 'ConfigMap' || o.apiVersion !== 'v1') return false;
  if (mayHoldClusterConfig(o)) return true;
  const r = toResource(doc);
  if (referenced.has(`${r.ref.namespace ?? 'default'}/${r.ref.name}`)) return true;
  const role = corefileRole(r);
  if (role !== undefined && role !== 'other') return true;
  if (nginxEvidence(r, referenced) !== undefined) return true;
  const data = isObject(o.data) ? o.data : {};
  if (isLinkerdConfigMap(r.ref.name, data)) return true;
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') continue;
    if (k === 'Corefile' || k.endsWith('.Corefile')) return true;
    if (/\.ya?ml$/i.test(k) && looksLikeScrapeConfig(v)) return true;
    if (/\.json$/i.test(k) && /world/.test(v)) return true;
  }
  return false;
}
