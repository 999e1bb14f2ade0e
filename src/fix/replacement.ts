// Each fix of a file on its own, as a replacement of whole lines of the original text: what
// SARIF's `fixes[].artifactChanges[].replacements[]` carry (a deleted region and the inserted
// content), so that code-scanning tools can offer the change. Pure.

import { fixEach, type FixRequest } from './apply.ts';
import { flat } from '../model/resources.ts';

export interface Replacement {
  /** 1-based; the region runs from (startLine, startColumn) to just before (endLine, endColumn). */
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly text: string;
}

/** The lines that differ between two texts, as one replacement (undefined when equal). */
export function replacementOf(before: string, after: string): Replacement | undefined {
  if (before === after) return undefined;
  const a = before.replace(/^\uFEFF/, '');
  const b = after.replace(/^\uFEFF/, '');
  let pre = 0;
  const n = Math.min(a.length, b.length);
  while (pre < n && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < n - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  // Widen to whole lines: from the start of the first changed line to past the last one's newline.
  const start = a.lastIndexOf('\n', pre - 1) + 1;
  let endA = a.length - suf;
  let endB = b.length - suf;
  if (endA > start && a[endA - 1] !== '\n') {
    const nl = a.indexOf('\n', endA);
    const grow = nl < 0 ? a.length - endA : nl + 1 - endA;
    endA += grow;
    endB += grow;
  }
  const pos = (off: number): { line: number; column: number } => {
    let line = 1;
    let ls = 0;
    for (let i = a.indexOf('\n'); i >= 0 && i < off; i = a.indexOf('\n', i + 1)) {
      line++;
      ls = i + 1;
    }
    return { line, column: off - ls + 1 };
  };
  const s = pos(start);
  const e = pos(endA);
  // A copy, not a slice: V8 keeps a slice's whole parent alive, and the parent is the fixed file's
  // text, one per finding (SARIF at 100,000 documents kept hundreds of MB of them).
  return { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column, text: flat(b.slice(start, endB)) };
}

/** Per request id, the replacement its fix alone makes in the text (fixes that do not apply are left out). */
export function replacementsOf(text: string, requests: readonly FixRequest[]): Map<number, Replacement> {
  const out = new Map<number, Replacement>();
  for (const [id, fixed] of fixEach(text, requests)) {
    const rep = replacementOf(text, fixed);
    if (rep) out.set(id, rep);
  }
  return out;
}
