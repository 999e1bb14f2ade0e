// --exclude GLOB: paths a directory walk leaves out (as kube-linter's ignorePaths). Pure.
//
// A pattern is matched against the path of each file or directory found in a walk, relative to
// the directory given on the command line, with `/` separators. `*` matches any run of characters
// within one path segment, `?` one character, `**` any number of whole segments (zero or more); a
// pattern without `/` matches the name at any depth (`*.test.yaml`, `vendor`), a trailing `/`
// matches directories only. An excluded directory is not walked at all.
// Matching is linear-time per segment pair (the two-pointer wildcard algorithm, no regex), and
// `**` is resolved by dynamic programming over segments: no input can make it backtrack.

export type ExcludeMatcher = (relPath: string, isDir: boolean) => boolean;

/** `*` and `?` within one segment; at most |p| x |s| steps. */
export function segmentMatch(p: string, s: string): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < s.length) {
    if (i < p.length && p[i] !== '*' && (p[i] === '?' || p[i] === s[j])) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else return false;
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}

/** Pattern segments (with `**`) against path segments. */
function segmentsMatch(pat: readonly string[], path: readonly string[]): boolean {
  // ok[j] = pat[0..i) matches path[0..j)
  let ok = new Array<boolean>(path.length + 1).fill(false);
  ok[0] = true;
  for (const seg of pat) {
    const next = new Array<boolean>(path.length + 1).fill(false);
    if (seg === '**') {
      let any = false;
      for (let j = 0; j <= path.length; j++) {
        any = any || ok[j]!;
        next[j] = any;
      }
    } else {
      for (let j = 1; j <= path.length; j++) next[j] = ok[j - 1]! && segmentMatch(seg, path[j - 1]!);
    }
    ok = next;
  }
  return ok[path.length]!;
}

/** Compile --exclude patterns; an empty list excludes nothing. */
export function compileExclude(patterns: readonly string[]): ExcludeMatcher | undefined {
  const list = patterns.map((p) => p.trim()).filter((p) => p !== '').map((raw) => {
    let p = raw.replace(/\\/g, '/').replace(/^\.\//, '');
    const dirOnly = p.endsWith('/');
    if (dirOnly) p = p.replace(/\/+$/, '');
    const anchored = p.includes('/');
    const segs = p.split('/').filter((s) => s !== '');
    return { segs: anchored ? segs : ['**', ...segs], dirOnly };
  });
  if (list.length === 0) return undefined;
  return (relPath, isDir) => {
    const path = relPath.split('/').filter((s) => s !== '' && s !== '.');
    return list.some((e) => (!e.dirOnly || isDir) && segmentsMatch(e.segs, path));
  };
}
