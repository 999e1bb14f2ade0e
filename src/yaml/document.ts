// One YAML document read with yaml's Document API (YAML 1.2; JSON is YAML too): the value, or the
// first error with its 1-based line. For small files where exact YAML 1.2 matters more than speed
// (the configuration file). Pure: text -> value.

import { yamlLibrary } from './library.ts';

export type DocumentRead =
  | { readonly value: unknown }
  | { readonly error: string; readonly code: string; readonly line?: number };

export function readYamlDocument(text: string, opts: { readonly uniqueKeys: boolean; readonly maxAliasCount: number }): DocumentRead {
  const { LineCounter, parseDocument } = yamlLibrary();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: opts.uniqueKeys, lineCounter });
  const err = doc.errors[0];
  if (err) {
    const line = lineCounter.linePos(err.pos[0]).line;
    return { error: err.message.split('\n')[0]!, code: err.code, ...(line ? { line } : {}) };
  }
  return { value: doc.toJS({ maxAliasCount: opts.maxAliasCount }) as unknown };
}
