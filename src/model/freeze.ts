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
 * by identity, so equal ones are interchangeable. The tables live for one call; a Map or Set
 * reached twice gets one view.
 */
export function freezeDeep<T>(root: T): T {
  const table = new Map<string, readonly unknown[]>();
  const views = new Map<object, object>();
  const share = (a: unknown[]): unknown[] => {
    if (a.length > 32 || Object.isFrozen(a)) return a;
    let key = 'a';
    for (const x of a) {
      if (typeof x === 'string') key += `s${x.length}:${x}`;
      else if (typeof x === 'number') key += `n${x};`;
      else return a;
    }
    const known = table.get(key);
    if (known) return known as unknown[];
    table.set(key, Object.freeze(a));
    return a;
  };
  const records = new Map<string, object>();
  /** One frozen record per set of string entries (keys and values length-prefixed: no two sets read alike). */
  const shareRecord = (o: Record<string, unknown>): object => {
    if (Object.isFrozen(o) || Object.getPrototypeOf(o) !== Object.prototype) return o;
    let key = 'o';
    let n = 0;
    for (const k in o) {
      const x = o[k];
      if (typeof x !== 'string' || ++n > 64) return o;
      key += `${k.length}:${k}${x.length}:${x}`;
    }
    const known = records.get(key);
    if (known) return known;
    records.set(key, Object.freeze(o));
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
  return freeze(root) as T;
}
