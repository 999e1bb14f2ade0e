// The built model is frozen all the way down: every mutation path of every object, array, Map
// and Set reachable from it fails, on models built by the real loader from the fixtures (file
// audits with Cloud Armor exports and --resolve answers, and a live model of a planted cluster).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadPaths } from '../../src/load/files.ts';
import { loadCloudArmor } from '../../src/load/cloud-armor.ts';
import { buildModel, type Model } from '../../src/model/build.ts';
import { FrozenMap, FrozenSet, createFreezer } from '../../src/model/freeze.ts';
import type { ResolvedName } from '../../src/model/dns.ts';

const fixtures = (p: string): string => fileURLToPath(new URL(`../../fixtures/${p}`, import.meta.url));

interface Tally { objects: number; arrays: number; maps: number; sets: number; attempts: number }

/** Runs `mutate`, which must throw a TypeError, and checks the value did not change. */
function refuses(what: string, mutate: () => unknown, unchanged: () => boolean, t: Tally): void {
  t.attempts++;
  assert.throws(mutate, TypeError, `${what}: mutation was allowed`);
  assert.ok(unchanged(), `${what}: value changed`);
}

function tryEveryMutation(root: unknown, where: string, t: Tally): void {
  const seen = new Set<unknown>();
  const visit = (v: unknown, at: string): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    assert.ok(!(v instanceof Map) && !(v instanceof Set), `${at} is a mutable ${v instanceof Map ? 'Map' : 'Set'}`);
    assert.ok(!ArrayBuffer.isView(v), `${at} is a typed array`);
    const o = v as Record<PropertyKey, unknown>;
    const proto = Object.getPrototypeOf(o) as object | null;
    // Every object: no new property, no prototype change, no extension.
    refuses(`${at}: add a property`, () => { o.__mutated__ = 1; }, () => !('__mutated__' in o), t);
    refuses(`${at}: define a property`, () => Object.defineProperty(o, '__mutated__', { value: 1 }), () => !('__mutated__' in o), t);
    refuses(`${at}: set the prototype`, () => Object.setPrototypeOf(o, null), () => Object.getPrototypeOf(o) === proto, t);
    assert.ok(!Object.isExtensible(o), `${at} is extensible`);
    if (v instanceof FrozenMap) {
      t.maps++;
      const m = v as FrozenMap<unknown, unknown>;
      const size = m.size;
      const first = m.keys().next();
      const k = first.done ? 'k' : first.value;
      const before = m.get(k);
      const same = (): boolean => m.size === size && m.get(k) === before;
      const asMap = m as unknown as Map<unknown, unknown>;
      refuses(`${at}.set`, () => asMap.set(k, 'x'), same, t);
      refuses(`${at}.set (new key)`, () => asMap.set(Symbol('new'), 'x'), same, t);
      refuses(`${at}.delete`, () => asMap.delete(k), same, t);
      refuses(`${at}.clear`, () => asMap.clear(), same, t);
      refuses(`Map.prototype.set.call(${at})`, () => Map.prototype.set.call(asMap, k, 'x'), same, t);
      refuses(`Map.prototype.delete.call(${at})`, () => Map.prototype.delete.call(asMap, k), same, t);
      refuses(`Map.prototype.clear.call(${at})`, () => Map.prototype.clear.call(asMap), same, t);
      for (const [key, value] of m) {
        visit(key, `${at} key`);
        visit(value, `${at}.get(${JSON.stringify(String(key))})`);
      }
      return;
    }
    if (v instanceof FrozenSet) {
      t.sets++;
      const s = v as FrozenSet<unknown>;
      const size = s.size;
      const first = s.values().next();
      const x = first.done ? 'x' : first.value;
      const had = s.has(x);
      const same = (): boolean => s.size === size && s.has(x) === had;
      const asSet = s as unknown as Set<unknown>;
      refuses(`${at}.add`, () => asSet.add(Symbol('new')), same, t);
      refuses(`${at}.delete`, () => asSet.delete(x), same, t);
      refuses(`${at}.clear`, () => asSet.clear(), same, t);
      refuses(`Set.prototype.add.call(${at})`, () => Set.prototype.add.call(asSet, Symbol('new')), same, t);
      refuses(`Set.prototype.delete.call(${at})`, () => Set.prototype.delete.call(asSet, x), same, t);
      refuses(`Set.prototype.clear.call(${at})`, () => Set.prototype.clear.call(asSet), same, t);
      for (const member of s) visit(member, `${at} member`);
      return;
    }
    if (Array.isArray(v)) {
      t.arrays++;
      const a = v as unknown[];
      const copy = [...a];
      const same = (): boolean => a.length === copy.length && a.every((x, i) => x === copy[i]);
      refuses(`${at}[length] =`, () => { a[a.length] = 1; }, same, t);
      refuses(`${at}.length =`, () => { a.length = a.length + 1; }, same, t);
      refuses(`${at}.push`, () => a.push(1), same, t);
      refuses(`${at}.unshift`, () => a.unshift(1), same, t);
      refuses(`${at}.splice (insert)`, () => a.splice(0, 0, 1), same, t);
      if (a.length > 0) {
        refuses(`${at}[0] =`, () => { a[0] = Symbol('x'); }, same, t);
        refuses(`delete ${at}[0]`, () => { delete a[0]; }, same, t);
        refuses(`${at}.pop`, () => a.pop(), same, t);
        refuses(`${at}.shift`, () => a.shift(), same, t);
        refuses(`${at}.fill`, () => a.fill(Symbol('x')), same, t);
        refuses(`${at}.splice (remove)`, () => a.splice(0, 1), same, t);
      }
      if (a.length > 1) {
        refuses(`${at}.reverse`, () => a.reverse(), same, t);
        refuses(`${at}.sort`, () => a.sort(() => -1), same, t);
        refuses(`${at}.copyWithin`, () => a.copyWithin(0, 1), same, t);
      }
      a.forEach((x, i) => visit(x, `${at}[${i}]`));
      return;
    }
    t.objects++;
    for (const key of Reflect.ownKeys(o)) {
      const before = o[key];
      const same = (): boolean => Object.prototype.hasOwnProperty.call(o, key) && o[key] === before;
      const name = `${at}.${String(key)}`;
      refuses(`${name} =`, () => { o[key] = Symbol('x'); }, same, t);
      refuses(`delete ${name}`, () => { delete o[key]; }, same, t);
      refuses(`redefine ${name}`, () => Object.defineProperty(o, key, { value: Symbol('x') }), same, t);
      visit(before, name);
    }
  };
  visit(root, where);
}

async function filesModel(): Promise<Model> {
  const loaded = await loadPaths([fixtures('demo'), fixtures('corpus'), fixtures('reports')]);
  assert.ok(loaded.documents.length > 100, `only ${loaded.documents.length} documents read`);
  const armor = loadCloudArmor([fixtures('cloud-armor/corp-policy.yaml')]);
  const resolved = new Map<string, ResolvedName>([
    ['example.com', { A: ['192.0.2.1'], AAAA: [] }],
  ]);
  return buildModel([...loaded.documents, ...armor.documents], { locate: loaded.locator.locate, resolved });
}

async function liveModel(): Promise<Model> {
  const loaded = await loadPaths([fixtures('live')]);
  return buildModel(loaded.documents, { live: { notRead: ['CiliumNetworkPolicy'] } });
}

test('every mutation of a file-audit model fails: objects, arrays, Maps and Sets at any depth', async () => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // hundreds of thousands of expected TypeErrors: skip their stacks
  try {
    const t: Tally = { objects: 0, arrays: 0, maps: 0, sets: 0, attempts: 0 };
    const model = await filesModel();
    tryEveryMutation(model, 'model', t);
    // The collections the issue names are views now, and the walk reached them.
    for (const [name, c] of Object.entries({
      byKind: model.byKind, configMaps: model.configMaps, headlessDns: model.headlessDns, resolved: model.resolved,
      'gke.l7Backends': model.gke.l7Backends,
    })) assert.ok(c instanceof FrozenMap || c instanceof FrozenSet, `${name} is not a frozen view`);
    assert.ok(t.maps >= 8, `only ${t.maps} Maps reached`);
    assert.ok(t.sets >= 2, `only ${t.sets} Sets reached`);
    // Distinct objects: equal small arrays (empty ones too) and equal string records are shared by the freeze.
    assert.ok(t.objects > 1000 && t.arrays > 500, `walk too small: ${JSON.stringify(t)}`);
  } finally {
    Error.stackTraceLimit = limit;
  }
});

test('every mutation of a live model fails', async () => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const t: Tally = { objects: 0, arrays: 0, maps: 0, sets: 0, attempts: 0 };
    const model = await liveModel();
    assert.ok(model.live, 'no live facts built');
    tryEveryMutation(model, 'model', t);
    assert.ok(t.maps > 0 && t.objects > 100, `walk too small: ${JSON.stringify(t)}`);
  } finally {
    Error.stackTraceLimit = limit;
  }
});

test('a frozen view reads like the Map and Set it wraps', () => {
  const m = new FrozenMap(new Map([['a', 1], ['b', 2]]));
  assert.equal(m.size, 2);
  assert.equal(m.get('b'), 2);
  assert.ok(m.has('a') && !m.has('c'));
  assert.deepEqual([...m], [['a', 1], ['b', 2]]);
  assert.deepEqual([...m.keys()], ['a', 'b']);
  assert.deepEqual([...m.values()], [1, 2]);
  const seen: string[] = [];
  m.forEach((v, k, map) => { seen.push(`${k}=${v}`); assert.equal(map, m); });
  assert.deepEqual(seen, ['a=1', 'b=2']);
  assert.deepEqual(new Map(m), new Map([['a', 1], ['b', 2]]));
  const s = new FrozenSet(new Set(['x', 'y']));
  assert.equal(s.size, 2);
  assert.ok(s.has('x') && !s.has('z'));
  assert.deepEqual([...s], ['x', 'y']);
  assert.deepEqual([...s.entries()], [['x', 'x'], ['y', 'y']]);
});

test('equal string records are one copy, long values included; records that differ anywhere stay apart', () => {
  const freeze = createFreezer();
  const long = (i: number, c = 'x'): string => `${'a'.repeat(i)}${c}${'b'.repeat(5000 - i)}`;
  const first = freeze({ data: { 'dashboard.json': long(2500), small: 'v' } });
  // Equal content, not the same strings: the long value is built again.
  const same = freeze({ data: { 'dashboard.json': long(2500), small: 'v' } });
  assert.equal(same.data, first.data, 'equal records are shared');
  assert.ok(Object.isFrozen(first.data));
  // Long values that differ in one character, anywhere: sampled by the hash or not (it reads the
  // ends and every 76th character of this one), the records are compared whole.
  const base = long(2500);
  for (const at of [0, 63, 64, 100, 2499, 2500, 2501, base.length - 65, base.length - 64, base.length - 1]) {
    const changed = `${base.slice(0, at)}Z${base.slice(at + 1)}`;
    const other = freeze({ data: { 'dashboard.json': changed, small: 'v' } });
    assert.notEqual(other.data, first.data, `a difference at ${at}`);
    assert.equal(other.data['dashboard.json'], changed);
  }
  // Same keys, other order: not shared (Object.keys would read differently).
  const reordered = freeze({ data: { small: 'v', 'dashboard.json': long(2500) } });
  assert.notEqual(reordered.data, first.data);
  assert.deepEqual(Object.keys(reordered.data), ['small', 'dashboard.json']);
});
