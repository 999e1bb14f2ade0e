// YAML texts embedded in objects (a prometheus.yml in a ConfigMap or Secret, kubeadm and
// kube-proxy configurations in ConfigMaps): their values, and the positions of nodes inside them
// as character offsets and lines of the text. Pure: text -> values/positions.

import jsyaml from 'js-yaml';
import type { Node as YamlNode } from 'yaml';
import { yamlLibrary } from './library.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An embedded text to read. */
export interface EmbeddedText {
  readonly text: string;
  /** Whether node positions are wanted (the text's lines map to lines of the file). */
  readonly lineMapped: boolean;
  /** The key of the list whose node positions are read when the text is a mapping (e.g. scrape_configs). */
  readonly list: string;
}

/** Every document of a text, as js-yaml reads it (JSON-compatible duplicate keys: the last wins); [] when it does not parse. */
export function loadAllEmbedded(text: string): unknown[] {
  try {
    return jsyaml.loadAll(text, undefined, { json: true });
  } catch {
    return [];
  }
}

/** The position of a node inside an embedded text: a character offset (yaml's range[0]). */
export interface NodeAt {
  readonly start: number;
  /** Sequence items. */
  item(i: number): NodeAt | undefined;
  /** Mapping values. */
  member(key: string): NodeAt | undefined;
}

/** An embedded text read: the parsed value and (when lines are mapped) the position of its list node. */
export interface ReadText {
  readonly value: unknown;
  /** The node of the list (see EmbeddedText.list); undefined when lines are not mapped. */
  readonly jobsAt?: NodeAt;
  /** 1-based line of an offset. */
  readonly lineAt: (offset: number) => number;
}

/** Read with yaml's Document API; `error` (the first line of the first error) when it does not parse. */
export function readWithYaml(e: EmbeddedText): ReadText | { readonly error: string } | undefined {
  const { LineCounter, parseDocument, isMap, isSeq } = yamlLibrary();
  const lc = new LineCounter();
  const doc = parseDocument(e.text, { lineCounter: lc, uniqueKeys: false });
  if (doc.errors.length > 0) return { error: doc.errors[0]!.message.split('\n')[0]! };
  const root = doc.contents;
  // A mapping holds the list under e.list; otherwise the text is the list itself.
  let jobsNode: unknown = root;
  if (isMap(root)) jobsNode = root.get(e.list, true);
  if (!isSeq(jobsNode)) return undefined;
  const at = (n: unknown): NodeAt | undefined => {
    if (!n || typeof n !== 'object' || !('range' in n) || !Array.isArray((n as YamlNode).range)) return undefined;
    return {
      start: (n as YamlNode).range![0],
      item: (i) => (isSeq(n) ? at(n.items[i]) : undefined),
      member: (k) => (isMap(n) ? at(n.get(k, true)) : undefined),
    };
  };
  return { value: doc.toJS({ maxAliasCount: 1000 }) as unknown, jobsAt: at(jobsNode), lineAt: (o) => lc.linePos(o).line };
}

// ---- The fast reader: js-yaml, with node positions from its parse events -------------------------
//
// yaml's Document API costs about five times js-yaml's parse. Most embedded prometheus.yml texts
// are read with js-yaml instead, with a schema that resolves plain scalars exactly as yaml's
// YAML 1.2 core schema does (null, bool, int in decimal, 0o and 0x, float, .inf and .nan; no
// timestamps, no merge keys), and the position of every node is taken from js-yaml's open/close
// events. Every node a position is read from is checked to be the node of the value (same
// object, same item count); a text with anchors, aliases, tags or directives, one js-yaml
// rejects, or one whose event tree does not match its value, is read with yaml as before.

// One type per tag (js-yaml keeps the last type of a tag); yaml's tests do not overlap.
const coreType = (tag: string, re: RegExp, construct: (s: string) => unknown): jsyaml.Type =>
  new jsyaml.Type(tag, { kind: 'scalar', resolve: (s: unknown) => typeof s === 'string' && re.test(s), construct: (s: string) => construct(s) });
const YAML_CORE = jsyaml.FAILSAFE_SCHEMA.extend({
  // The types of yaml's core schema (schema/core/schema.js), in its order.
  implicit: [
    coreType('tag:yaml.org,2002:null', /^(?:~|[Nn]ull|NULL)?$/, () => null),
    coreType('tag:yaml.org,2002:bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'),
    coreType('tag:yaml.org,2002:int', /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/,
      (s) => (s.startsWith('0o') ? parseInt(s.substring(2), 8) : s.startsWith('0x') ? parseInt(s.substring(2), 16) : parseInt(s, 10))),
    coreType('tag:yaml.org,2002:float', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/,
      (s) => (/^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/.test(s)
        ? (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY)
        : parseFloat(s))),
  ],
});

/** Node properties (tag, anchor), aliases, directives, merge keys, tabs: left to yaml. */
const NOT_FAST = /(?:^|[\s[\]{},])[!&*][^\s[\]{},]|^%|<<|\t/m;

interface Frame { readonly start: number; result: unknown; readonly children: Frame[] }

/** A position read from js-yaml's events does not belong to the value: read the text with yaml instead. */
export class Mismatch extends Error {}

/** A frame checked against the value: the same object, and one child per item (sequences) or two per key (mappings). */
function frameAt(f: Frame, text: string): NodeAt {
  // A flow collection is read first as a would-be mapping key: one wrapping frame, same result.
  while (f.children.length === 1 && typeof f.result === 'object' && f.result !== null && f.children[0]!.result === f.result) f = f.children[0]!;
  const v = f.result;
  return {
    // js-yaml opens a sequence item's node at its content (after the "- ", "[" or "," and any
    // space or comment), where yaml's range starts; a map value's node opens right after the ":".
    get start() {
      const c = text.charCodeAt(f.start);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 35) throw new Mismatch();
      return f.start;
    },
    item(i) {
      if (!Array.isArray(v) || f.children.length !== v.length) throw new Mismatch();
      if (i >= v.length) return undefined;
      const ch = f.children[i]!;
      if (!Object.is(ch.result, v[i])) throw new Mismatch();
      return frameAt(ch, text);
    },
    member(key) {
      if (!isObject(v)) throw new Mismatch();
      const keys = Object.keys(v);
      if (f.children.length !== 2 * keys.length) throw new Mismatch();
      if (!Object.prototype.hasOwnProperty.call(v, key)) return undefined;
      for (let j = 0; j < f.children.length; j += 2) {
        if (f.children[j]!.result !== key) continue;
        const ch = f.children[j + 1]!;
        if (!Object.is(ch.result, v[key])) throw new Mismatch();
        return frameAt(ch, text);
      }
      throw new Mismatch();
    },
  };
}

function readFast(e: EmbeddedText): ReadText | undefined {
  if (NOT_FAST.test(e.text)) return undefined;
  const stack: Frame[] = [{ start: 0, result: undefined, children: [] }];
  let value: unknown;
  try {
    value = jsyaml.load(e.text, {
      schema: YAML_CORE,
      ...(e.lineMapped ? {
        listener: (ev: jsyaml.EventType, st: jsyaml.State) => {
          if (ev === 'open') stack.push({ start: st.position, result: undefined, children: [] });
          else {
            const f = stack.pop()!;
            f.result = st.result;
            stack[stack.length - 1]!.children.push(f);
          }
        },
      } : {}),
    });
  } catch {
    return undefined;
  }
  let jobsAt: NodeAt | undefined;
  if (e.lineMapped) {
    const top = stack[0]!.children;
    if (stack.length !== 1 || top.length !== 1 || top[0]!.result !== value) return undefined;
    if (isObject(value) || Array.isArray(value)) {
      try {
        jobsAt = isObject(value) ? frameAt(top[0]!, e.text).member(e.list) : frameAt(top[0]!, e.text);
      } catch (err) {
        if (err instanceof Mismatch) return undefined;
        throw err;
      }
    }
  }
  let lines: number[] | undefined;
  const lineAt = (offset: number): number => {
    if (!lines) {
      lines = [];
      for (let i = e.text.indexOf('\n'); i >= 0; i = e.text.indexOf('\n', i + 1)) lines.push(i);
    }
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  return { value, ...(jobsAt ? { jobsAt } : {}), lineAt };
}

// The same prometheus.yml is often in several objects (a chart installed in several namespaces,
// a ConfigMap and the Secret copy of it): a few reads are kept by text, for one build. A kept
// read is never changed (jobsFromValue only reads it), so sharing it cannot change a result.
export type ReadMemo = Map<string, ReadText>;
const READ_MEMO_MAX = 32;

/** readFast, with the reads of one build kept by text (`memo`). */
export function readFastMemo(e: EmbeddedText, readMemo: ReadMemo): ReadText | undefined {
  const key = `${e.lineMapped ? 'L' : 'N'}${e.list}\0${e.text}`;
  const known = readMemo.get(key);
  if (known) return known;
  const read = readFast(e);
  if (read) {
    if (readMemo.size >= READ_MEMO_MAX) readMemo.delete(readMemo.keys().next().value!);
    readMemo.set(key, read);
  }
  return read;
}
