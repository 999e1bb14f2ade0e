// Rules, model builders and emulators keep no state between calls: facts derived from other facts
// are computed while the model is built (and live in the frozen model), never kept in a module.
// This test reads every module of src/rules, src/model and src/emulate with the TypeScript parser
// and fails on module-level mutable state: a top-level let or var; a WeakMap, WeakSet or WeakRef,
// or an empty Map or Set, created outside a function (a cache, whatever its name); a top-level
// constant (a lookup table included) that any scanned module mutates (set/add/delete/clear/push/...,
// or an assignment to one of its members); a global or sticky regex whose lastIndex the module
// depends on (exec/test, or lastIndex written).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DIRS = ['src/rules', 'src/model', 'src/emulate'];

/**
 * Reviewed exceptions, by "file: name". Each is a memo of a pure function of its key whose values
 * are deeply frozen, so what a caller gets never depends on what was asked before.
 */
const ALLOWED: Readonly<Record<string, string>> = {
  'src/emulate/ip.ts: ipMemo': 'parseIP results by text and mode; bounded; every result deeply frozen',
  'src/emulate/ip.ts: cidrMemo': 'parseCIDR results by text and mode; bounded; every result deeply frozen',
  'src/model/resources.ts: resourceOf': 'each document\'s Resource by the document (a WeakMap: dies with it); read-only by contract, frozen with the model (its final freeze shares equal labels and refs, which it cannot do in objects frozen earlier)',
  'src/model/resources.ts: interned': 'short strings by their text (kinds, API versions, namespaces); bounded; strings are immutable',
  'src/model/paths.ts: children': 'JSON paths by parent path and segment; one frozen array per distinct path; bounded by the distinct paths the inputs have',
};

const MUTABLE_CTORS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef']);
const MUTATORS = 'set|add|delete|clear|push|pop|shift|unshift|splice|sort|reverse|fill|copyWithin';

/** Problems of one module's top level; `others`: the texts of the modules that may import what it exports. */
function moduleState(file: string, text: string, others: readonly string[] = []): string[] {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const constNames: { name: string; exported: boolean; init?: ts.Expression }[] = [];
  /**
   * A cache created by an expression evaluated at load time (function bodies skipped): a weak
   * collection, or a Map or Set created empty. A Map or Set created with its entries is a lookup
   * table, judged by whether anything mutates it.
   */
  const createsCollection = (n: ts.Node): string | undefined => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return undefined;
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && MUTABLE_CTORS.has(n.expression.text)) {
      const c = n.expression.text;
      if (c.startsWith('Weak') || (n.arguments ?? []).length === 0) return c;
    }
    return ts.forEachChild(n, createsCollection);
  };
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    const flags = st.declarationList.flags;
    const isConst = (flags & ts.NodeFlags.Const) !== 0;
    for (const d of st.declarationList.declarations) {
      const name = d.name.getText(sf);
      const key = `${file}: ${name}`;
      if (key in ALLOWED) continue;
      if (!isConst) {
        out.push(`${key}: top-level ${flags & ts.NodeFlags.Let ? 'let' : 'var'}`);
        continue;
      }
      const made = d.initializer ? createsCollection(d.initializer) : undefined;
      const exported = st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
      if (made) out.push(`${key}: a ${made} created at module level`);
      else constNames.push({ name, exported, ...(d.initializer ? { init: d.initializer } : {}) });
    }
  }
  for (const { name, exported, init } of constNames) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) continue;
    const esc = name.replace(/\$/g, '\\$');
    const key = `${file}: ${name}`;
    const importers = exported ? others.filter((t) => new RegExp(`import[^;]*\\b${esc}\\b[^;]*from '[^']*/${base.replace(/\./g, '\\.')}'`).test(t)) : [];
    const texts = [text, ...importers];
    if (texts.some((t) => new RegExp(`(?<![\\w$.#])${esc}\\.(?:${MUTATORS})\\(`).test(t))) out.push(`${key}: mutated (${MUTATORS.split('|').join('/')})`);
    else if (texts.some((t) => new RegExp(`(?<![\\w$.#])${esc}(?:\\.\\w+|\\[[^\\]]*\\])\\s*(?:[-+*/|&]?=)(?!=)`).test(t))) out.push(`${key}: a member is assigned`);
    if (init && ts.isRegularExpressionLiteral(init)) {
      const flags = init.text.slice(init.text.lastIndexOf('/') + 1);
      if (/[gy]/.test(flags) && new RegExp(`(?<![\\w$.#])${esc}\\.(?:exec|test|lastIndex)\\b`).test(text)) {
        out.push(`${key}: a /${flags} regex whose lastIndex is module state (exec, test or lastIndex)`);
      }
    }
  }
  return out;
}

const modules = DIRS.flatMap((dir) => readdirSync(`${root}${dir}`).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`));

test('no rule, model or emulator module keeps state between calls', () => {
  assert.ok(modules.length > 90, `only ${modules.length} modules found`);
  const texts = new Map(modules.map((f) => [f, readFileSync(`${root}${f}`, 'utf8')]));
  const problems = modules.flatMap((f) => moduleState(f, texts.get(f)!, [...texts].filter(([g]) => g !== f).map(([, t]) => t)));
  assert.deepEqual(problems, []);
});

test('the scan finds each kind of module state', () => {
  const found = moduleState('x.ts', [
    'let counter = 0;',
    'const CACHE = new WeakMap<object, number>();',
    'const memo = [new Map(), new Map()] as const;',
    'const TABLE = new Set(["a"]) ;',
    'const LOOKUP = new Set(["b"]);',
    'const seen: string[] = [];',
    'const state = { n: 0 };',
    'const RE = /a/g;',
    'const FINE = ["a", "b"];',
    'const SAFE = /b/g;',
    'export function f(s: string) { seen.push(s); state.n += 1; RE.lastIndex = 0; const local = new Map(); local.set(s, 1); TABLE.add(s); return RE.exec(s) && s.replace(SAFE, "") && FINE.includes(s) && LOOKUP.has(s); }',
  ].join('\n'));
  assert.deepEqual(found, [
    'x.ts: counter: top-level let',
    'x.ts: CACHE: a WeakMap created at module level',
    'x.ts: memo: a Map created at module level',
    'x.ts: TABLE: mutated (set/add/delete/clear/push/pop/shift/unshift/splice/sort/reverse/fill/copyWithin)',
    'x.ts: seen: mutated (set/add/delete/clear/push/pop/shift/unshift/splice/sort/reverse/fill/copyWithin)',
    'x.ts: state: a member is assigned',
    'x.ts: RE: a member is assigned',
    'x.ts: RE: a /g regex whose lastIndex is module state (exec, test or lastIndex)',
  ]);
});
