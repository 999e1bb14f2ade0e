// Freezing the model all the way down. Object.freeze stops property writes on objects and
// arrays, but not Map.prototype.set or Set.prototype.add: a frozen Map still changes. So every
// Map and Set of the model is replaced by a read-only view over it: the view holds the
// collection in a private field, answers ReadonlyMap/ReadonlySet, and its set, add, delete and
// clear throw, as do Map.prototype.set.call(view, ...) and the like (a view is not a Map). Pure.

const frozenError = (what: string): TypeError => new TypeError(`Cannot ${what}: the model is frozen`);

/** A read-only Map. */
export class FrozenMap<K, V> implements ReadonlyMap<K, V> {
  readonly #m: Map<K, V>;
  constructor(entries: Map<K, V>) {
    this.#m = entries;
    Object.freeze(this);
  }
  get size(): number { return this.#m.size; }
  get(key: K): V | undefined { return this.#m.get(key); }
  has(key: K): boolean { return this.#m.has(key); }
  forEach(cb: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    this.#m.forEach((v, k) => cb.call(thisArg, v, k, this));
  }
  entries(): MapIterator<[K, V]> { return this.#m.entries(); }
  keys(): MapIterator<K> { return this.#m.keys(); }
  values(): MapIterator<V> { return this.#m.values(); }
  [Symbol.iterator](): MapIterator<[K, V]> { return this.#m[Symbol.iterator](); }
  get [Symbol.toStringTag](): string { return 'FrozenMap'; }
  set(_key: K, _value: V): never { throw frozenError('set a key of a Map'); }
  delete(_key: K): never { throw frozenError('delete a key of a Map'); }
  clear(): never { throw frozenError('clear a Map'); }
}

/** A read-only Set. */
export class FrozenSet<T> implements ReadonlySet<T> {
  readonly #s: Set<T>;
  constructor(values: Set<T>) {
    this.#s = values;
    Object.freeze(this);
  }
  get size(): number { return this.#s.size; }
  has(value: T): boolean { return this.#s.has(value); }
  forEach(cb: (value: T, value2: T, set: ReadonlySet<T>) => void, thisArg?: unknown): void {
    this.#s.forEach((v) => cb.call(thisArg, v, v, this));
  }
  entries(): SetIterator<[T, T]> { return this.#s.entries(); }
  keys(): SetIterator<T> { return this.#s.keys(); }
  values(): SetIterator<T> { return this.#s.values(); }
  [Symbol.iterator](): SetIterator<T> { return this.#s[Symbol.iterator](); }
  get [Symbol.toStringTag](): string { return 'FrozenSet'; }
  add(_value: T): never { throw frozenError('add to a Set'); }
  delete(_value: T): never { throw frozenError('delete from a Set'); }
  clear(): never { throw frozenError('clear a Set'); }
}

/**
 * Freezes a value all the way down and returns it, with every Map and Set (at any depth)
 * replaced by a FrozenMap or FrozenSet view. Equal small arrays of strings and numbers become
 * one shared array: JSON paths, mostly (['spec', 'template', 'spec', 'containers', 0, 'env', 3]
 * recurs in every Deployment with four env entries); they were a third of the model's heap on
 * the 10,000-document benchmark. Empty arrays are one array too, and so are equal plain records
 * of strings (labels, annotations, selectors, references: equal keys in the same order, so
 * Object.keys reads the same). The model is frozen, and nothing compares its arrays or records
 * by identity, so equal ones are interchangeable. A Map or Set reached twice gets one view.
 */
export function freezeDeep<T>(root: T): T {
  return createFreezer()(root);
}

/** A 32-bit hash of a string, mixed into h. */
function mixText(h: number, t: string): number {
  h = Math.imul(h ^ t.length, 0x01000193);
  for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * A freezeDeep whose tables of shared arrays and records outlive one call: the streaming build
 * freezes each document's facts as it takes them (so equal paths and labels are one copy while
 * the input is read, not only once the model is complete) and the model at the end with the same
 * tables. What it has frozen must not be changed afterwards. Candidates are found by a hash of
 * their content and compared element by element: no text is built (a ConfigMap's data as one key
 * was a copy of it).
 */
export function createFreezer(): <T>(root: T) => T {
  const arrays = new Map<number, (readonly unknown[])[]>();
  const views = new Map<object, object>();
  const share = (a: unknown[]): unknown[] => {
    if (a.length > 32 || Object.isFrozen(a)) return a;
    let h = 0x811c9dc5 ^ a.length;
    for (const x of a) {
      if (typeof x === 'string') h = mixText(h ^ 0x73, x);
      else if (typeof x === 'number') h = mixText(h ^ 0x6e, String(x));
      else return a;
    }
    const bucket = arrays.get(h);
    if (bucket) {
      // Numbers as the old text key compared them (String(-0) is "0"), strings by value.
      for (const c of bucket) if (c.length === a.length && c.every((x, i) => x === a[i] || (typeof x === 'number' && typeof a[i] === 'number' && String(x) === String(a[i])))) return c as unknown[];
      bucket.push(Object.freeze(a));
    } else arrays.set(h, [Object.freeze(a)]);
    return a;
  };
  const records = new Map<number, Record<string, unknown>[]>();
  /** One frozen record per set of string entries (equal keys in the same order, equal values). */
  const shareRecord = (o: Record<string, unknown>): object => {
    if (Object.isFrozen(o) || Object.getPrototypeOf(o) !== Object.prototype) return o;
    let h = 0x9e3779b9;
    let n = 0;
    for (const k in o) {
      const x = o[k];
      if (typeof x !== 'string' || ++n > 64) return o;
      h = mixText(mixText(h, k), x);
    }
    h ^= n;
    const bucket = records.get(h);
    if (bucket) {
      for (const c of bucket) if (sameRecord(c, o, n)) return c;
      bucket.push(Object.freeze(o));
    } else records.set(h, [Object.freeze(o)]);
    return o;
  };
  /** The frozen value to store in place of `v`. */
  const freeze = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (v instanceof Map || v instanceof Set) {
      const known = views.get(v);
      if (known) return known;
      let view: object;
      if (v instanceof Map) {
        for (const [k, x] of v) {
          walk(k);
          const f = freeze(x);
          if (f !== x) v.set(k, f);
        }
        view = new FrozenMap(v);
      } else {
        // Set members are keys: freeze them in place (replacing one would change membership).
        for (const x of v) walk(x);
        view = new FrozenSet(v);
      }
      views.set(v, view);
      return view;
    }
    if (Array.isArray(v)) {
      const s = share(v);
      if (s !== v) return s;
    } else {
      const s = shareRecord(v as Record<string, unknown>);
      if (s !== v) return s;
    }
    walk(v);
    return v;
  };
  const walk = (o: unknown): void => {
    if (o === null || typeof o !== 'object' || Object.isFrozen(o)) return;
    if (o instanceof FrozenMap || o instanceof FrozenSet) return;
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) {
        const v: unknown = o[i];
        if (v === null || typeof v !== 'object') continue;
        const f = freeze(v);
        if (f !== v) o[i] = f;
      }
    } else {
      const rec = o as Record<string, unknown>;
      for (const k in rec) {
        const v = rec[k];
        if (v === null || typeof v !== 'object') continue;
        const f = freeze(v);
        if (f !== v) rec[k] = f;
      }
    }
    Object.freeze(o);
  };
  return <T>(root: T): T => freeze(root) as T;
}

/** Same keys in the same order (Object.keys reads the same) and equal string values; o has n keys. */
function sameRecord(c: Record<string, unknown>, o: Record<string, unknown>, n: number): boolean {
  const keys = Object.keys(c);
  if (keys.length !== n) return false;
  let i = 0;
  for (const k in o) {
    if (keys[i] !== k || c[k] !== o[k]) return false;
    i++;
  }
  return true;
}
