// Which pods a policy selects: an index of pod templates by namespace and labels, so a
// selector costs the size of its smallest candidate list, never a scan of every pod for
// every policy (DESIGN.md section 6, "index by namespace and labels").

import type { ResourceRef, SourceRef } from './types.ts';
import { isEmptySelector, matchesSelector, type LabelSelector } from '../emulate/label-selector.ts';

/** A pod, or the pod template of a workload (model/workloads.ts): what a pod selector can match. */
export interface PodTemplate {
  readonly ref: ResourceRef;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Where it is: a policy selects only pods that can be in its cluster (model/coexist.ts). */
  readonly source?: SourceRef;
}

interface NamespaceIndex {
  readonly all: PodTemplate[];
  /** "key=value" -> templates with that label. */
  readonly byPair: Map<string, PodTemplate[]>;
  /** key -> templates with that label key. */
  readonly byKey: Map<string, PodTemplate[]>;
}

export interface PodIndex {
  readonly byNamespace: ReadonlyMap<string, NamespaceIndex>;
  /** Every template, in input order. */
  readonly templates: readonly PodTemplate[];
}

function push<K>(m: Map<K, PodTemplate[]>, k: K, t: PodTemplate): void {
  const l = m.get(k);
  if (l) l.push(t);
  else m.set(k, [t]);
}

export function buildPodIndex(templates: readonly PodTemplate[]): PodIndex {
  const byNamespace = new Map<string, NamespaceIndex>();
  for (const t of templates) {
    let ns = byNamespace.get(t.namespace);
    if (!ns) {
      ns = { all: [], byPair: new Map(), byKey: new Map() };
      byNamespace.set(t.namespace, ns);
    }
    ns.all.push(t);
    for (const [k, v] of Object.entries(t.labels)) {
      push(ns.byPair, `${k}=${v}`, t);
      push(ns.byKey, k, t);
    }
  }
  return { byNamespace, templates };
}

/**
 * The smallest candidate list the index offers for `selector` in `namespace` (a matchLabels
 * pair, an In with one value, an Exists key; else every template of the namespace), so a
 * selection costs that list, not the namespace. Undefined when nothing can match.
 */
function candidates(index: PodIndex, namespace: string, selector: LabelSelector): readonly PodTemplate[] | undefined {
  const ns = index.byNamespace.get(namespace);
  if (!ns || selector.invalid) return undefined;
  let best: readonly PodTemplate[] = ns.all;
  const consider = (l: readonly PodTemplate[] | undefined): void => {
    const list = l ?? [];
    if (list.length < best.length) best = list;
  };
  for (const [k, v] of Object.entries(selector.matchLabels)) consider(ns.byPair.get(`${k}=${v}`));
  for (const e of selector.matchExpressions) {
    if (e.operator === 'Exists') consider(ns.byKey.get(e.key));
    else if (e.operator === 'In' && e.values.length === 1) consider(ns.byPair.get(`${e.key}=${e.values[0]}`));
    else if (e.operator === 'In') consider(ns.byKey.get(e.key));
  }
  return best.length === 0 ? undefined : best;
}

/** The templates in `namespace` that `selector` matches, in input order. */
export function selectPods(index: PodIndex, namespace: string, selector: LabelSelector): readonly PodTemplate[] {
  const best = candidates(index, namespace, selector);
  if (!best) return [];
  return best === index.byNamespace.get(namespace)?.all && isEmptySelector(selector) ? best : best.filter((t) => matchesSelector(selector, t.labels));
}

/** How many templates in `namespace` `selector` matches (and `accept` keeps), and the first of them in input order. */
export interface SelectionCount {
  readonly count: number;
  readonly first?: PodTemplate;
}

/** selectPods(...).filter(accept), counted: no list is made (a policy keeps only the count and the first). */
export function countSelected(index: PodIndex, namespace: string, selector: LabelSelector, accept?: (t: PodTemplate) => boolean): SelectionCount {
  const best = candidates(index, namespace, selector);
  if (!best) return { count: 0 };
  const all = isEmptySelector(selector);
  let count = 0;
  let first: PodTemplate | undefined;
  for (const t of best) {
    if ((all || matchesSelector(selector, t.labels)) && (!accept || accept(t))) {
      count++;
      first ??= t;
    }
  }
  return first ? { count, first } : { count };
}

/** Whether the input holds any pod template in `namespace` (so "selects none" is meaningful). */
export const namespaceHasPods = (index: PodIndex, namespace: string): boolean =>
  (index.byNamespace.get(namespace)?.all.length ?? 0) > 0;
