// JSON paths made once. Every fact of the model keeps the path of its field, and most paths recur
// in every object of a kind (['spec', 'template', 'spec', 'containers', 0, 'env', 3] is in every
// Deployment with four env entries). Built with a spread, each took about 240 bytes and lived
// until the model's final freeze shared equal ones; made here, each distinct path is one frozen
// array of exact size from the start, found by its parent and last segment (no key text built).
// Memoisation only: a path is the same value however it is made, so the builders stay pure.

import type { JsonPath } from './types.ts';

/** The object root: the parent of every path made here. */
export const ROOT_PATH: JsonPath = Object.freeze([]);

/** Children of each path made here, by segment (0 and '0' are different keys, as in a path). */
const children = new WeakMap<JsonPath, Map<string | number, JsonPath>>();

/**
 * `parent` followed by `segments`, as one shared frozen array: equal paths made from the same
 * parent are the same array. A parent not made here (a constant) works too; its children are
 * shared among the paths made from it.
 */
export function pathOf(parent: JsonPath, ...segments: readonly (string | number)[]): JsonPath {
  let cur = parent;
  for (const s of segments) {
    let kids = children.get(cur);
    if (!kids) children.set(cur, (kids = new Map()));
    let next = kids.get(s);
    if (!next) kids.set(s, (next = Object.freeze(cur.concat(s))));
    cur = next;
  }
  return cur;
}

/** A path from the root. */
export const rootPath = (...segments: readonly (string | number)[]): JsonPath => pathOf(ROOT_PATH, ...segments);

/** The one empty array of the model's facts. */
export const NONE: readonly never[] = Object.freeze([]);

/**
 * An array built by push, as the model keeps it: without the spare room push leaves (a
 * one-element array built by push holds room for 17), and the shared empty array when empty.
 */
export const exact = <T>(a: readonly T[]): readonly T[] => (a.length === 0 ? NONE : a.slice());
