// Unified diff of two texts (`--- a/path`, `+++ b/path`, `@@` hunks with 3 lines of context),
// in the form `git apply` and `patch -p1` read. Pure.
//
// Written here rather than taken from the `diff` package: the texts differ only in a few
// edited nodes, so a plain Myers diff (O((N+M)·D), D the number of changed lines) is small and
// fast, and one dependency less ships in the bundle. Lines keep their own ending ("\r\n" stays
// in the line), so CRLF files diff and apply as they are; a last line without a newline gets
// git's "\ No newline at end of file" marker.

const CONTEXT = 3;

/** Lines with their endings; the last may have none. */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl + 1;
    out.push(text.slice(pos, end));
    pos = end;
  }
  return out;
}

type Edit = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** Line indexes where a YAML document marker (`---` at column 0) starts a document. */
const markers = (lines: readonly string[]): number[] => lines.flatMap((l, i) => (i > 0 && /^---(?:[ \t\r\n]|$)/.test(l) ? [i] : []));

/**
 * The edit script, document by document when both texts have the same document markers count
 * (a fix never adds or removes a document): each changed document is diffed alone, so the cost
 * follows the size of the edited documents, not of the file (2,000 fixed Services in one file).
 */
function editScript(a: readonly string[], b: readonly string[]): Edit[] {
  const ma = markers(a);
  const mb = markers(b);
  if (ma.length === 0 || ma.length !== mb.length) return myers(a, b);
  const out: Edit[] = [];
  const cuts = (m: number[], n: number): number[] => [0, ...m, n];
  const ca = cuts(ma, a.length);
  const cb = cuts(mb, b.length);
  for (let i = 0; i + 1 < ca.length; i++) out.push(...myers(a.slice(ca[i], ca[i + 1]), b.slice(cb[i], cb[i + 1])));
  return out;
}

/** Myers' greedy shortest edit script, lines compared as strings. */
function myers(a: readonly string[], b: readonly string[]): Edit[] {
  // Common prefix and suffix first: most of a fixed file.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const A = a.slice(pre, a.length - suf);
  const B = b.slice(pre, b.length - suf);
  const n = A.length;
  const m = B.length;
  const max = n + m;
  // v[off + k]: the furthest x on diagonal k; one spare slot each side for k = ±(d + 1).
  const off = max + 1;
  const v = new Int32Array(2 * max + 4);
  const trace: Int32Array[] = [];
  let done = n === 0 && m === 0;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && A[x] === B[y]) { x++; y++; }
      v[off + k] = x;
      if (x >= n && y >= m) { done = true; break; }
    }
  }
  // Walk back through the saved frontiers.
  const mid: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    // trace[d] holds v[-d-1 .. d+1] as it was before step d.
    const band = trace[d]!;
    const at = (k: number): number => band[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) mid.push({ kind: ' ', line: A[--x]! }), y--;
    if (d === 0) break;
    if (x === prevX) mid.push({ kind: '+', line: B[--y]! });
    else mid.push({ kind: '-', line: A[--x]! });
  }
  while (x > 0 && y > 0) mid.push({ kind: ' ', line: A[--x]! }), y--;
  mid.reverse();
  return [
    ...a.slice(0, pre).map((line) => ({ kind: ' ' as const, line })),
    ...mid,
    ...a.slice(a.length - suf).map((line) => ({ kind: ' ' as const, line })),
  ];
}

const NO_NEWLINE = '\\ No newline at end of file\n';

function emit(kind: string, line: string): string {
  return line.endsWith('\n') ? `${kind}${line}` : `${kind}${line}\n${NO_NEWLINE}`;
}

/** A unified diff from a/path to b/path; '' when the texts are equal. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const script = editScript(splitLines(before), splitLines(after));
  const p = path.replace(/\\/g, '/').replace(/^\.\//, '');
  let out = `--- a/${p}\n+++ b/${p}\n`;
  // Positions in the old and new texts of each script entry.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 0;
  let nw = 0;
  for (const e of script) {
    oldAt.push(o);
    newAt.push(nw);
    if (e.kind !== '+') o++;
    if (e.kind !== '-') nw++;
  }
  let i = 0;
  while (i < script.length) {
    if (script[i]!.kind === ' ') { i++; continue; }
    // A hunk: changes closer than 2*CONTEXT lines of context join it.
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    let j = i;
    while (j < script.length) {
      if (script[j]!.kind !== ' ') { end = j; j++; continue; }
      let k = j;
      while (k < script.length && script[k]!.kind === ' ') k++;
      if (k < script.length && k - j <= 2 * CONTEXT) { j = k; continue; }
      break;
    }
    const stop = Math.min(script.length, end + 1 + CONTEXT);
    const slice = script.slice(start, stop);
    const oldLen = slice.filter((e) => e.kind !== '+').length;
    const newLen = slice.filter((e) => e.kind !== '-').length;
    const oldStart = oldLen === 0 ? oldAt[start]! : oldAt[start]! + 1;
    const newStart = newLen === 0 ? newAt[start]! : newAt[start]! + 1;
    out += `@@ -${oldStart},${oldLen} +${newStart},${newLen} @@\n`;
    for (const e of slice) out += emit(e.kind, e.line);
    i = stop;
  }
  return out;
}
