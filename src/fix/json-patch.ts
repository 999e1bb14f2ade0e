// RFC 6902 JSON Patch (add, remove, replace, test) on plain data, returning a new value. Used to say
// what a fixed document must read as, so the text edits of edit.ts can be checked against it.
// One difference from the RFC, shared with edit.ts: `add` creates missing parent objects
// (a rule adding /metadata/annotations/x to a Service without annotations needs no second op).

import type { JsonPatchOp } from '../rules/types.ts';

/** RFC 6901 pointer -> tokens (`~1` is `/`, `~0` is `~`). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`not a JSON pointer: ${pointer}`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export class PatchError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An array index token: `-` (append, for add) or a decimal without leading zeros. */
export function arrayIndex(token: string, length: number, forAdd: boolean): number {
  if (token === '-' && forAdd) return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchError(`bad array index "${token}"`);
  const i = Number(token);
  if (i > length || (!forAdd && i === length)) throw new PatchError(`array index ${i} out of range`);
  return i;
}

export function applyPatch(doc: unknown, ops: readonly JsonPatchOp[]): unknown {
  let root = structuredClone(doc);
  for (const op of ops) root = applyOp(root, op);
  return root;
}

function applyOp(root: unknown, op: JsonPatchOp): unknown {
  if (op.op === 'test') {
    if (!deepEqual(valueAt(root, parsePointer(op.path)), op.value)) throw new PatchError(`${op.path} is no longer ${JSON.stringify(op.value)}`);
    return root;
  }
  const tokens = parsePointer(op.path);
  if (tokens.length === 0) {
    if (op.op === 'remove') throw new PatchError('cannot remove the whole document');
    return structuredClone(op.value);
  }
  let parent: unknown = root;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    if (Array.isArray(parent)) {
      parent = parent[arrayIndex(t, parent.length, false)];
    } else if (isRecord(parent)) {
      if (!(t in parent) || parent[t] === null) {
        if (op.op !== 'add') throw new PatchError(`${op.path}: ${t} does not exist`);
        parent[t] = {};
      }
      parent = parent[t];
    } else {
      throw new PatchError(`${op.path}: ${t} is not in an object or array`);
    }
  }
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = arrayIndex(last, parent.length, op.op === 'add');
    if (op.op === 'add') parent.splice(i, 0, structuredClone(op.value));
    else if (op.op === 'remove') parent.splice(i, 1);
    else parent[i] = structuredClone(op.value);
  } else if (isRecord(parent)) {
    if (op.op !== 'add' && !(last in parent)) throw new PatchError(`${op.path} does not exist`);
    if (op.op === 'remove') delete parent[last];
    else parent[last] = structuredClone(op.value);
  } else {
    throw new PatchError(`${op.path}: the parent is not an object or array`);
  }
  return root;
}

function valueAt(root: unknown, tokens: readonly string[]): unknown {
  let v: unknown = root;
  for (const t of tokens) {
    if (Array.isArray(v)) v = /^(0|[1-9][0-9]*)$/.test(t) ? v[Number(t)] : undefined;
    else if (isRecord(v)) v = Object.hasOwn(v, t) ? v[t] : undefined;
    else return undefined;
  }
  return v;
}

/** Structural equality of plain data (what YAML reads as). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  return false;
}
