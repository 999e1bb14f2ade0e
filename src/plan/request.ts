// How a manifest becomes the object the apiserver's Service update receives, per --method.
//
// apply (kubectl apply, client-side): kubectl computes a three-way strategic merge patch from the
//   last-applied-configuration annotation (original), the manifest (modified) and the live object
//   (current), and the apiserver applies it to the stored object
//   (k8s:staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go, Patcher.patchSimple ->
//   strategicpatch.CreateThreeWayMergePatch). So a field the manifest sets is set; a field the
//   manifest omits keeps its live value unless last-applied has it, then it is deleted. Without
//   the annotation (objects not created by kubectl apply, and snapshots, which drop it) there is
//   no original and nothing is deleted.
// server-side (kubectl apply --server-side): field ownership by manager. Modelled for the common
//   case: fields the manifest sets are set (as with --force-conflicts), fields it omits keep their
//   live values as if another manager (or the allocator) owned them. Fields this manager applied
//   before and now omits would be removed by the apiserver; managedFields are not read, so that
//   case is not seen (docs/plan.md).
// replace (kubectl replace, a PUT): the manifest is the whole object.
// Lists are replaced whole: clusterIPs and ipFamilies are atomic lists (+listType=atomic in
// k8s:staging/src/k8s.io/api/core/v1/types.go); maps (selector, annotations) merge key by key.

export type Method = 'apply' | 'server-side' | 'replace';
export const METHODS: readonly Method[] = ['apply', 'server-side', 'replace'];

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The three-way merge of one map level: set what modified sets, delete what original had and modified dropped, keep the rest. */
function merge3(original: Obj | undefined, modified: Obj, current: Obj): Obj {
  const out: Obj = { ...current };
  for (const [k, v] of Object.entries(modified)) {
    if (v === null) delete out[k]; // an explicit null deletes (strategic merge patch)
    else if (isObj(v) && isObj(current[k])) out[k] = merge3(isObj(original?.[k]) ? (original[k] as Obj) : undefined, v, current[k] as Obj);
    else out[k] = v;
  }
  if (original) for (const k of Object.keys(original)) if (!(k in modified)) delete out[k];
  return out;
}

/** The last-applied-configuration of a live object, when it has one that parses. */
export function lastApplied(live: Readonly<Obj>): Obj | undefined {
  const meta = isObj(live.metadata) ? live.metadata : {};
  const ann = isObj(meta.annotations) ? meta.annotations : {};
  const text = ann[LAST_APPLIED];
  if (typeof text !== 'string') return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export interface UpdateRequest {
  /** The object the registry's update receives. */
  readonly object: Obj;
  /** apply: whether the live object had a usable last-applied-configuration. */
  readonly lastApplied?: boolean;
}

/** The update request that applying `manifest` over `live` with `method` produces. */
export function updateRequest(manifest: Readonly<Obj>, live: Readonly<Obj>, method: Method): UpdateRequest {
  if (method === 'replace') return { object: { ...manifest } };
  const original = method === 'apply' ? lastApplied(live) : undefined;
  return { object: merge3(original, manifest as Obj, live as Obj), ...(method === 'apply' ? { lastApplied: original !== undefined } : {}) };
}
