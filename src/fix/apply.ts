// A file's text + the fixes located in it -> the new text. Pure.
//
// The file is cut into documents exactly as the loader cuts it (yaml/stream.ts splitSpans), so a
// finding's line names its document; each fix is applied to that document's text alone, op by
// op (edit.ts), and kept only when the edited document reads as the patched object and every
// other field as before. A file with a parse problem is never edited. The BOM and the line
// ending are kept; bytes outside the edited nodes are not touched.

import type { Document } from 'yaml';
import { yamlLibrary } from '../yaml/library.ts';
import type { JsonPatchOp } from '../rules/types.ts';
import { splitSpans } from '../yaml/stream.ts';
import { resourceName } from '../model/resources.ts';
import { applyOpToText, parseForEdit } from './edit.ts';
import { PatchError, applyPatch, deepEqual } from './json-patch.ts';

export interface FixRequest {
  /** The caller's id for the finding; echoed in the outcome. */
  readonly id: number;
  /** 1-based line of the finding in the file (any line of its resource's document). */
  readonly line: number;
  readonly resource: { readonly kind: string; readonly name: string; readonly namespace?: string };
  readonly patch: readonly JsonPatchOp[];
}

export type FixOutcome =
  | { readonly id: number; readonly applied: true }
  | { readonly id: number; readonly applied: false; readonly reason: string };

export interface FixTextResult {
  readonly text: string;
  readonly changed: boolean;
  readonly outcomes: readonly FixOutcome[];
  /** Set when the file was not edited at all (it does not parse). */
  readonly problem?: string;
}

/**
 * kustomize's build metadata (`buildMetadata: [originAnnotations]`): the object was rendered from
 * this source (OriginAnnotationKey in kubernetes-sigs/kustomize api/internal/utils/annotations.go).
 */
export const KUSTOMIZE_ORIGIN = 'config.kubernetes.io/origin';

const BOM = '\uFEFF';

/** A file cut into documents, the requests by document, and the parsed documents that have requests. */
interface Prepared {
  readonly bom: string;
  readonly eol: string;
  readonly spans: ReturnType<typeof splitSpans>;
  readonly chunks: string[];
  readonly bySpan: Map<number, FixRequest[]>;
  readonly parsed: Map<number, Document>;
}

function prepare(text: string, requests: readonly FixRequest[]): Prepared | { problem: string } {
  const bom = text.startsWith(BOM) ? BOM : '';
  const body = bom ? text.slice(1) : text;
  const eol = /\r\n/.test(body.slice(0, body.indexOf('\n') + 1)) ? '\r\n' : '\n';
  const spans = splitSpans(body);
  const chunks = spans.map((s) => body.slice(s.start, s.end));
  const bySpan = new Map<number, FixRequest[]>();
  for (const r of requests) {
    let s = 0;
    while (s + 1 < spans.length && spans[s + 1]!.lineOffset <= r.line - 1) s++;
    const list = bySpan.get(s);
    if (list) list.push(r);
    else bySpan.set(s, [r]);
  }
  // Every document is parsed (as the loader does, chunk by chunk): one that does not parse, or
  // has a duplicate key, leaves the whole file alone. The Documents of the first edits are kept.
  const parsed = new Map<number, Document>();
  for (let i = 0; i < chunks.length; i++) {
    const d = yamlLibrary().parseDocument(chunks[i]!);
    const err = d.errors[0];
    if (err) return { problem: `the file does not parse (line ${(err.linePos?.[0].line ?? 1) + spans[i]!.lineOffset}: ${err.message.split('\n')[0]}): not edited` };
    if (bySpan.has(i)) parsed.set(i, d);
  }
  return { bom, eol, spans, chunks, bySpan, parsed };
}

export function fixText(text: string, requests: readonly FixRequest[]): FixTextResult {
  const p = prepare(text, requests);
  if ('problem' in p) {
    const reason = p.problem;
    return { text, changed: false, problem: reason, outcomes: requests.map((r) => ({ id: r.id, applied: false, reason })) };
  }
  const { bom, eol, spans, chunks, bySpan, parsed } = p;
  const outcomes: FixOutcome[] = [];
  for (const [s, list] of bySpan) {
    let chunk = chunks[s]!;
    let doc = parsed.get(s);
    for (const r of list) {
      const res = fixOne(chunk, r, r.line - 1 - spans[s]!.lineOffset, eol, doc);
      if ('text' in res) {
        if (res.text !== chunk) doc = undefined;
        chunk = res.text;
        outcomes.push({ id: r.id, applied: true });
      } else {
        outcomes.push({ id: r.id, applied: false, reason: res.reason });
      }
    }
    chunks[s] = chunk;
  }
  const out = bom + chunks.join('');
  outcomes.sort((a, b) => a.id - b.id);
  return { text: out, changed: out !== text, outcomes };
}

/**
 * Each request applied alone: per request id that applies, the file's text with that fix only, as
 * fixText(text, [r]) gives it. The file is cut and parsed once, not once per request (SARIF's
 * replacements at 100,000 documents parsed every file again for each of its findings: 267 s of
 * CPU); a document's parse is shared by its requests, which only read it (edit.ts).
 */
export function fixEach(text: string, requests: readonly FixRequest[]): Map<number, string> {
  const out = new Map<number, string>();
  const p = prepare(text, requests);
  if ('problem' in p) return out;
  const { bom, eol, spans, chunks, bySpan, parsed } = p;
  for (const [s, list] of bySpan) {
    const chunk = chunks[s]!;
    for (const r of list) {
      const res = fixOne(chunk, r, r.line - 1 - spans[s]!.lineOffset, eol, parsed.get(s));
      if (!('text' in res)) continue;
      chunks[s] = res.text;
      out.set(r.id, bom + chunks.join(''));
      chunks[s] = chunk;
    }
  }
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function matches(o: unknown, r: FixRequest['resource']): o is Obj {
  if (!isObj(o) || o.kind !== r.kind) return false;
  const md = isObj(o.metadata) ? o.metadata : {};
  // The name the finding carries, derived as the model derives it (an unnamed IstioOperator is "(unnamed)").
  if (resourceName(md) !== r.name) return false;
  return r.namespace === undefined || md.namespace === undefined || md.namespace === r.namespace;
}

/** Offset of a 0-based line in a text. */
function lineOffset(text: string, line: number): number {
  let pos = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return text.length;
    pos = nl + 1;
  }
  return pos;
}

/** Where the resource is in the document: [] (the document) or ['items', n] (a List item). */
function findResource(doc: Document, js: unknown, r: FixRequest, line: number, text: string): string[] | undefined {
  if (matches(js, r.resource)) return [];
  if (!isObj(js) || !Array.isArray(js.items)) return undefined;
  const items = js.items;
  const seq = doc.get('items', true);
  if (yamlLibrary().isSeq(seq)) {
    const at = lineOffset(text, line);
    const i = seq.items.findIndex((n) => {
      const range = (n as { range?: [number, number, number] } | null)?.range;
      return range !== undefined && range[0] <= at && at < range[2];
    });
    if (i >= 0 && matches(items[i], r.resource)) return ['items', String(i)];
  }
  const all = items.flatMap((o, i) => (matches(o, r.resource) ? [i] : []));
  return all.length === 1 ? ['items', String(all[0])] : undefined;
}

function fixOne(chunk: string, r: FixRequest, line: number, eol: string, parsed?: Document): { text: string } | { reason: string } {
  let doc: Document;
  try {
    doc = parsed ?? parseForEdit(chunk);
  } catch (e) {
    return { reason: `the document ${(e as Error).message}: not edited` };
  }
  const js = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const prefix = findResource(doc, js, r, line, chunk);
  if (!prefix) return { reason: `${r.resource.kind}/${r.resource.name} is not at that place in the file any more` };
  const resource = prefix.length === 0 ? js : (js as { items: unknown[] }).items[Number(prefix[1])];
  const origin = isObj(resource) && isObj(resource.metadata) && isObj(resource.metadata.annotations) ? resource.metadata.annotations[KUSTOMIZE_ORIGIN] : undefined;
  if (typeof origin === 'string') return { reason: `rendered by kustomize (${KUSTOMIZE_ORIGIN}: ${origin.replace(/\s+/g, ' ').trim()}): fix the source` };
  const pre = prefix.length === 0 ? '' : `/${prefix.join('/')}`;
  const ops = r.patch.map((op) => ({ ...op, path: pre + op.path }));
  let expected: unknown;
  try {
    expected = applyPatch(js, ops);
  } catch (e) {
    return { reason: `the fix does not apply: ${(e as Error).message}` };
  }
  // Already as the fix wants it (another finding's fix did the same): nothing to write.
  if (deepEqual(expected, js)) return { text: chunk };
  let text = chunk;
  try {
    let parsed: Document | undefined = doc;
    for (const op of r.patch) {
      const next = applyOpToText(text, prefix, op, eol, parsed);
      if (next !== text) parsed = undefined;
      text = next;
    }
  } catch (e) {
    if (e instanceof PatchError) return { reason: `cannot edit this layout: ${e.message}` };
    throw e;
  }
  let after: unknown;
  try {
    after = parseForEdit(text).toJS({ maxAliasCount: 100 });
  } catch {
    return { reason: 'the edit would not parse: not made' };
  }
  if (!deepEqual(after, expected)) return { reason: 'the edit would change more than the fix: not made' };
  return { text };
}
