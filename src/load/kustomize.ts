// Kustomize patch files: which files of the input are patches, not objects (README, "Input handling").
//
// A kustomize overlay lists patches: partial copies of a base's objects (a Service with only
// `spec.type`, a Deployment with only `replicas`) that kustomize merges into the base when it
// renders the overlay. Read as manifests, they were objects of their own: a Service patch
// without the base's `ipFamilyPolicy` was judged SingleStack, and each patched object was a
// duplicate of its base. The files a kustomization names as patches are therefore not read as
// objects; one problem per kustomization says which and how to audit the rendered output.
//
// Sources (kubernetes-sigs/kustomize): the file names kustomize recognises,
// api/konfig/general.go RecognizedKustomizationFileNames; the fields, api/types/kustomization.go
// (`patches` and `patchesJson6902`: a list of {path | patch, target}; `patchesStrategicMerge`: a
// list of paths or inline patches). A file that a kustomization lists as a resource is an
// object, whatever another lists it as. Only I/O of kustomization files.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { LoadProblem } from '../model/types.ts';
import { yamlLibrary } from '../yaml/library.ts';
import { decodeText, readRegularFile } from './read-file.ts';

/** kustomize's kustomization file names (api/konfig/general.go). */
const KUSTOMIZATION_NAMES: ReadonlySet<string> = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
export const isKustomizationName = (name: string): boolean => KUSTOMIZATION_NAMES.has(name);

/** Largest kustomization file read (they are a few hundred bytes). */
const MAX_KUSTOMIZATION_BYTES = 1024 * 1024;
/** Patch files named in one problem before "and N more". */
const MAX_NAMED = 5;

interface PatchRef {
  /** Resolved path of the patch file. */
  readonly file: string;
  /** As the kustomization writes it. */
  readonly as: string;
  readonly line: number;
  readonly column: number;
}

interface Kustomization {
  readonly file: string;
  readonly component: boolean;
  readonly patches: readonly PatchRef[];
  /** Resolved paths of the files (not directories or URLs) listed under `resources`. */
  readonly resources: readonly string[];
}

export interface KustomizePatches {
  /** Resolved paths of the input's files that a kustomization names as patches. */
  readonly patches: ReadonlySet<string>;
  /** One non-fatal problem per kustomization whose patches are in the input. */
  readonly problems: readonly LoadProblem[];
}

/**
 * Kustomization files in `dir` and the directories above it, up to the first that holds `.git`
 * (a repository's root) or the file system's root: a patch given on its own (a pre-commit hook
 * passes the files changed) is named by the kustomization beside or above it.
 */
export function kustomizationsAbove(dir: string, visited: Set<string>): string[] {
  const out: string[] = [];
  for (let d = path.resolve(dir); !visited.has(d);) {
    visited.add(d);
    for (const name of KUSTOMIZATION_NAMES) {
      const f = path.join(d, name);
      if (existsSync(f)) out.push(f);
    }
    const up = path.dirname(d);
    if (up === d || existsSync(path.join(d, '.git'))) break;
    d = up;
  }
  return out;
}

/** The patches and resources of a kustomization file, or undefined when it cannot be read as one. */
function readKustomization(file: string): Kustomization | undefined {
  const r = readRegularFile(file, MAX_KUSTOMIZATION_BYTES);
  if ('error' in r) return undefined;
  const text = decodeText(r.buf).text;
  if (text === undefined) return undefined;
  const Y = yamlLibrary();
  const lines = new Y.LineCounter();
  // An invalid kustomization.yaml is reported where it is read as a manifest; here it names nothing.
  const doc = Y.parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  if (doc.errors.length > 0 || !Y.isMap(doc.contents)) return undefined;
  const dir = path.dirname(file);
  const patches: PatchRef[] = [];
  const resources: string[] = [];
  const asFile = (node: unknown): { as: string; line: number; column: number } | undefined => {
    if (!Y.isScalar(node) || typeof node.value !== 'string') return undefined;
    const v = node.value.trim();
    // An inline patch (a YAML text, which has a line break) or a URL is not a file of the input.
    if (v === '' || v.includes('\n') || /^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return undefined;
    const pos = lines.linePos(node.range?.[0] ?? 0);
    return { as: v, line: pos.line, column: pos.col };
  };
  const add = (node: unknown): void => {
    const f = asFile(node);
    if (f) patches.push({ file: path.resolve(dir, f.as), ...f });
  };
  const seqItems = (key: string): unknown[] => {
    const s = doc.get(key, true);
    return Y.isSeq(s) ? s.items : [];
  };
  for (const key of ['patches', 'patchesJson6902']) {
    for (const item of seqItems(key)) if (Y.isMap(item)) add(item.get('path', true));
  }
  for (const item of seqItems('patchesStrategicMerge')) add(item);
  for (const item of seqItems('resources')) {
    const f = asFile(item);
    if (f) resources.push(path.resolve(dir, f.as));
  }
  return { file, component: doc.get('kind') === 'Component', patches, resources };
}

/**
 * Which of `files` (the input's files, as the walk or the command line gives them) the
 * kustomizations name as patches. `kustomizations`: the kustomization files found (by the walk
 * and kustomizationsAbove), each read once.
 */
export function kustomizePatches(
  files: readonly string[], kustomizations: readonly string[], nameOf: (p: string) => string,
): KustomizePatches {
  const read: Kustomization[] = [];
  const seen = new Set<string>();
  for (const k of kustomizations) {
    const abs = path.resolve(k);
    if (seen.has(abs)) continue;
    seen.add(abs);
    const kz = readKustomization(abs);
    if (kz && (kz.patches.length > 0 || kz.resources.length > 0)) read.push(kz);
  }
  if (!read.some((k) => k.patches.length > 0)) return { patches: new Set(), problems: [] };
  const inInput = new Set<string>();
  for (const f of files) inInput.add(path.resolve(f));
  const resources = new Set<string>();
  for (const k of read) for (const r of k.resources) resources.add(r);

  const patches = new Set<string>();
  const problems: LoadProblem[] = [];
  for (const k of read) {
    const skipped = k.patches.filter((p) => inInput.has(p.file) && !resources.has(p.file));
    if (skipped.length === 0) continue;
    // The same file listed twice (under `patches` and `patchesStrategicMerge`) is named once.
    const names = [...new Set(skipped.map((p) => p.as))];
    for (const p of skipped) patches.add(p.file);
    const shown = names.length > MAX_NAMED ? `${names.slice(0, MAX_NAMED).join(', ')} and ${names.length - MAX_NAMED} more` : names.join(', ');
    const n = names.length;
    const dir = path.dirname(k.file) === process.cwd() ? '.' : nameOf(path.dirname(k.file));
    const what = `${n} kustomize patch${n === 1 ? '' : 'es'} not audited as object${n === 1 ? '' : 's'} (${shown})`;
    const message = k.component
      ? `${what}: a patch is a partial object that kustomize merges into the objects of the kustomizations that use this component; to audit them as applied, audit each such overlay's output: kubectl kustomize OVERLAY | dualstack-audit -`
      : `${what}: a patch is a partial object that kustomize merges into this kustomization's resources; to audit them as applied, audit its output: kubectl kustomize ${dir} | dualstack-audit -`;
    problems.push({ file: nameOf(k.file), line: skipped[0]!.line, column: skipped[0]!.column, message, fatal: false });
  }
  return { patches, problems };
}
