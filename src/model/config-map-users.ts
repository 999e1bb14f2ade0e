// Which pod templates use which ConfigMaps of the input, with the keys they read: a fact
// several workload rules judge, computed once while the model is built. Pure.

import { formatRef } from './types.ts';
import type { ConfigMap, Workload } from './workloads.ts';

/** A ConfigMap in the input that at least one pod template mounts or references, with the keys they read. */
export interface ConfigMapUse {
  readonly cm: ConfigMap;
  /** undefined: every key. */
  readonly keys?: ReadonlySet<string>;
  /** "Deployment/ns/name", first user first. */
  readonly users: readonly string[];
  /** Keys read through configMapKeyRef, by key: the env var names they feed ("NAME in Deployment/x"). */
  readonly envByKey: ReadonlyMap<string, readonly string[]>;
  /** Container images of the pods that use it. */
  readonly images: readonly string[];
}

/** The used ConfigMaps, in input order of their first user. */
export function configMapUses(workloads: readonly Workload[]): ConfigMapUse[] {
  const acc = new Map<ConfigMap, { cm: ConfigMap; all: boolean; keys: Set<string>; users: string[]; envByKey: Map<string, string[]>; images: Set<string> }>();
  for (const w of workloads) {
    for (const u of w.configMaps) {
      const cm = u.configMap;
      if (!cm) continue;
      let a = acc.get(cm);
      if (!a) acc.set(cm, (a = { cm, all: false, keys: new Set(), users: [], envByKey: new Map(), images: new Set() }));
      if (u.keys) for (const k of u.keys) a.keys.add(k);
      else a.all = true;
      const user = formatRef(w.ref);
      if (!a.users.includes(user)) a.users.push(user);
      if (u.from === 'configMapKeyRef' && u.keys?.[0] !== undefined && u.envName !== undefined) {
        const l = a.envByKey.get(u.keys[0]) ?? [];
        l.push(`${u.envName} in ${user}`);
        a.envByKey.set(u.keys[0], l);
      }
      for (const c of w.containers) if (c.image) a.images.add(c.image);
    }
  }
  return [...acc.values()].map((a) => ({
    cm: a.cm,
    ...(a.all ? {} : { keys: a.keys }),
    users: a.users,
    envByKey: a.envByKey,
    images: [...a.images],
  }));
}
