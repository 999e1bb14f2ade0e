// Structural sharing for the live read (issue 14 item 8, issue 21 item 2): equal subtrees of the
// objects read from a cluster become one frozen object. The Pods of one ReplicaSet carry the same
// containers, probes, env, ports, tolerations and labels, and EndpointSlices and Services repeat
// their shapes; a 50,000-Pod cluster read into plain objects took about 4 KB of heap per Pod, most
// of it copies. Pure: no I/O; the sharer is made per read and dropped with it.

/** Entries (shared strings and objects) after which a sharer starts afresh: its tables stay bounded. */
export const SHARER_LIMIT = 1_000_000;

const mix = (h: number, x: number): number => {
  h = Math.imul(h ^ x, 0x5bd1e995);
  return (h ^ (h >>> 15)) | 0;
};

/** out[k] = v, also for the key __proto__ (JSON.parse makes it an own property; assigning it would set the prototype). */
function set(out: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

/** Whether the fresh object `out` (keys `keys`) has the same keys in the same order and the same (===) values as `c`. */
function sameObject(c: Record<string, unknown>, out: Record<string, unknown>, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in c) {
    // Object.is: JSON.parse('-0') is -0, which === would take for 0.
    if (k !== keys[i] || !Object.is(c[k], out[k])) return false;
    i++;
  }
  return i === keys.length;
}

function sameArray(c: readonly unknown[], out: readonly unknown[]): boolean {
  if (c.length !== out.length) return false;
  for (let i = 0; i < c.length; i++) if (!Object.is(c[i], out[i])) return false;
  return true;
}

/**
 * A sharer: `share(v)` returns a value deeply equal to v (JSON data) in which every object and
 * array equal to one shared before (same keys in the same order, equal values) is that same
 * frozen object, and every string one copy. The value given is not changed; the top level is a
 * fresh, unfrozen object, so two objects read are never one.
 *
 * One pass, bottom-up: an object's hash is mixed from its keys' and children's hashes, and a
 * candidate with the same hash is compared child by child with ===, since its children are
 * shared already. No key text is built.
 */
export function createSharer(limit = SHARER_LIMIT): { share: <T>(v: T) => T; readonly size: () => number } {
  let strings = new Map<string, number>();
  const stringValues: string[] = [];
  /** Shared objects and arrays by hash; a list when hashes collide. */
  let nodes = new Map<number, object | object[]>();
  let lastHash = 0;

  const visit = (v: unknown): unknown => {
    switch (typeof v) {
      case 'string': {
        let id = strings.get(v);
        if (id === undefined) {
          id = stringValues.length;
          strings.set(v, id);
          stringValues.push(v);
        }
        lastHash = mix(0x2f1b3c5d, id);
        return stringValues[id];
      }
      case 'number':
        lastHash = mix(0x1e35a7bd, Number.isInteger(v) ? v | 0 : Math.floor(v * 1e6) | 0);
        return v;
      case 'boolean':
        lastHash = v ? 0x7a3f1d2b : 0x4c9e8f17;
        return v;
      default:
    }
    if (v === null || typeof v !== 'object') {
      lastHash = 0x13579bdf;
      return v;
    }
    let h: number;
    let fresh: object;
    let keys: string[] | undefined;
    if (Array.isArray(v)) {
      const out = new Array<unknown>(v.length);
      h = 0x6b43a9b5 ^ v.length;
      for (let i = 0; i < v.length; i++) {
        out[i] = visit(v[i]);
        h = mix(h, lastHash);
      }
      fresh = out;
    } else {
      const out: Record<string, unknown> = {};
      keys = Object.keys(v);
      h = 0x3c6ef372 ^ keys.length;
      for (const k of keys) {
        set(out, k, visit((v as Record<string, unknown>)[k]));
        const child = lastHash;
        visit(k);
        h = mix(mix(h, lastHash), child);
      }
      fresh = out;
    }
    const found = nodes.get(h);
    if (found !== undefined) {
      const list = Array.isArray(found) && !Object.isFrozen(found) ? found as object[] : [found as object];
      for (const c of list) {
        if (keys ? !Array.isArray(c) && sameObject(c as Record<string, unknown>, fresh as Record<string, unknown>, keys) : Array.isArray(c) && sameArray(c, fresh as unknown[])) {
          lastHash = h;
          return c;
        }
      }
      Object.freeze(fresh);
      if (list.length === 1 && list[0] === found) nodes.set(h, [found as object, fresh]);
      else list.push(fresh);
    } else {
      nodes.set(h, Object.freeze(fresh));
    }
    if (nodes.size + strings.size > limit) {
      strings = new Map();
      stringValues.length = 0;
      nodes = new Map();
    }
    lastHash = h;
    return fresh;
  };

  return {
    share: <T>(v: T): T => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return visit(v) as T;
      // The top level stays a fresh object of its own (objects read are never one).
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) set(out, k, visit((v as Record<string, unknown>)[k]));
      return out as T;
    },
    size: () => nodes.size + strings.size,
  };
}
