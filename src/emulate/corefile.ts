// The Corefile (CoreDNS configuration, Caddyfile grammar): a tokenizer and a parser into server
// blocks and plugin directives, each keeping its 1-based line inside the Corefile text. Pure.
//
// Grammar followed (coredns/caddy caddyfile lexer.go, parse.go):
// - tokens are separated by whitespace; a newline ends a directive's arguments;
// - `"..."` quotes a token (may span lines; `\"` escapes a quote);
// - `#` at the start of a token starts a comment up to the end of the line;
// - `{` and `}` are block delimiters only as whole tokens (`{$ENV}` and `{%ENV%}` are env placeholders);
// - a server block is one or more keys (`[scheme://]zone[:port]`, comma or space separated) then `{ ... }`;
//   a file with a single server block may omit the braces;
// - `(name) { ... }` defines a snippet; `import name` pastes it, `import path/glob` reads files
//   (not done here: recorded as an unresolved import).
// Nothing is thrown: problems are collected with their line.

import { parseCIDR } from './ip.ts';

export interface Token {
  readonly text: string;
  readonly line: number;
  /** Written with quotes (never a brace or a comment). */
  readonly quoted: boolean;
  /** Contains an env placeholder `{$VAR}` or `{%VAR%}`. */
  readonly env: boolean;
}

export interface CorefileDirective {
  readonly name: string;
  readonly args: readonly string[];
  readonly line: number;
  /** Nested `{ ... }` lines (sub-directives), when present. */
  readonly block?: readonly CorefileDirective[];
  /** Name of the snippet this directive was pasted from by `import`. */
  readonly fromSnippet?: string;
  /** Some token of the directive is an env placeholder or a template placeholder (e.g. `__PILLAR__X__`, `CLUSTER_DOMAIN`). */
  readonly placeholder?: boolean;
}

export interface ServerKey {
  readonly raw: string;
  readonly line: number;
  /** dns, tls, grpc, https, quic (default dns). */
  readonly scheme: string;
  /** Lower-case zone without the trailing dot; '.' for the root; a CIDR key becomes its reverse zone. */
  readonly zone: string;
  readonly port?: string;
  /** The key is a placeholder (env or template), its zone is unknown. */
  readonly placeholder?: boolean;
}

export interface ServerBlock {
  readonly keys: readonly ServerKey[];
  readonly line: number;
  readonly directives: readonly CorefileDirective[];
}

export interface CorefileProblem {
  readonly line: number;
  readonly message: string;
}

export interface Corefile {
  readonly blocks: readonly ServerBlock[];
  /** `import` of files or globs (cannot be followed from a ConfigMap). */
  readonly imports: readonly { readonly target: string; readonly line: number }[];
  readonly problems: readonly CorefileProblem[];
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v';

/** Split a Corefile into tokens, with lines. Comments are dropped. */
export function tokenize(text: string): { tokens: Token[]; problems: CorefileProblem[] } {
  const tokens: Token[] = [];
  const problems: CorefileProblem[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const startLine = line;
    if (c === '"') {
      let val = '';
      i++;
      let closed = false;
      while (i < n) {
        const d = text[i]!;
        if (d === '\\' && text[i + 1] === '"') {
          val += '"';
          i += 2;
          continue;
        }
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\n') line++;
        val += d;
        i++;
      }
      if (!closed) problems.push({ line: startLine, message: 'unterminated quoted string' });
      tokens.push({ text: val, line: startLine, quoted: true, env: hasEnv(val) });
      continue;
    }
    let val = '';
    while (i < n && !isSpace(text[i]!)) {
      val += text[i]!;
      i++;
    }
    tokens.push({ text: val, line: startLine, quoted: false, env: hasEnv(val) });
  }
  return { tokens, problems };
}

function hasEnv(s: string): boolean {
  const a = s.indexOf('{$');
  if (a >= 0 && s.indexOf('}', a) > a) return true;
  const b = s.indexOf('{%');
  return b >= 0 && s.indexOf('%}', b) > b;
}

/**
 * A template placeholder left in a manifest: `__PILLAR__DNS__SERVER__` (node-local-dns),
 * or an all-caps word with an underscore (`CLUSTER_DOMAIN`, `REVERSE_CIDRS` of coredns.yaml.sed).
 */
export function isPlaceholder(t: string): boolean {
  if (hasEnv(t)) return true;
  if (t.includes('__PILLAR__')) return true;
  let upper = 0;
  let underscore = false;
  for (const ch of t) {
    if (ch === '_') underscore = true;
    else if (ch >= 'A' && ch <= 'Z') upper++;
    else if (!(ch >= '0' && ch <= '9')) return false;
  }
  return underscore && upper > 0;
}

/** Normalize a zone name: lower case, no trailing dot, '.' for the root; CIDRs become reverse zones. */
export function normalizeZone(z: string): string {
  const cidr = z.includes('/') ? parseCIDR(z) : undefined;
  if (cidr) return reverseZone(cidr.address.bytes, cidr.prefix, cidr.family);
  let s = z.toLowerCase();
  if (s === '.' || s === '') return '.';
  if (s.endsWith('.')) s = s.slice(0, -1);
  return s;
}

function reverseZone(bytes: readonly number[], prefix: number, family: 'IPv4' | 'IPv6'): string {
  if (family === 'IPv4') {
    const octets = bytes.slice(bytes.length - 4).slice(0, Math.floor(prefix / 8)).map(String);
    return [...octets.reverse(), 'in-addr', 'arpa'].join('.');
  }
  const nibbles = bytes.flatMap((b) => [(b >> 4).toString(16), (b & 15).toString(16)]).slice(0, Math.floor(prefix / 4));
  return [...nibbles.reverse(), 'ip6', 'arpa'].join('.');
}

/** `zone` equals `parent` or is below it. */
export function zoneCovers(parent: string, zone: string): boolean {
  if (parent === '.') return true;
  return zone === parent || zone.endsWith(`.${parent}`);
}

export function parseServerKey(raw: string, line: number): ServerKey {
  let rest = raw;
  let scheme = 'dns';
  const sep = rest.indexOf('://');
  if (sep >= 0) {
    scheme = rest.slice(0, sep).toLowerCase();
    rest = rest.slice(sep + 3);
  }
  let port: string | undefined;
  // A zone never holds a colon except inside an IPv6 CIDR key, e.g. `[fd00::]/64:53` is not valid
  // Caddy syntax; CoreDNS takes `zone:port` with the last colon when the rest is a number.
  const colon = rest.lastIndexOf(':');
  if (colon >= 0 && /^\d*$/.test(rest.slice(colon + 1)) && !rest.slice(0, colon).includes('::') && rest.indexOf(':') === colon) {
    port = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const placeholder = isPlaceholder(rest);
  const zone = rest === '' ? '.' : normalizeZone(rest);
  return {
    raw, line, scheme, zone,
    ...(port !== undefined && port !== '' ? { port } : {}),
    ...(placeholder ? { placeholder } : {}),
  };
}

class Parser {
  private i = 0;
  readonly problems: CorefileProblem[] = [];
  readonly imports: { target: string; line: number }[] = [];
  readonly snippets = new Map<string, CorefileDirective[]>();

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(o = 0): Token | undefined {
    return this.tokens[this.i + o];
  }

  private isOpen(t: Token | undefined): boolean {
    return t !== undefined && !t.quoted && t.text === '{';
  }

  private isClose(t: Token | undefined): boolean {
    return t !== undefined && !t.quoted && t.text === '}';
  }

  /** The whole text as the body of one server block (an AKS coredns-custom `*.override` key). */
  parseBody(key: string): ServerBlock[] {
    const directives = this.parseDirectives(false);
    return [{ keys: [parseServerKey(key, 1)], line: 1, directives }];
  }

  /** Server blocks until the end. */
  parseFile(): ServerBlock[] {
    const blocks: ServerBlock[] = [];
    while (this.i < this.tokens.length) {
      const t = this.peek()!;
      if (this.isClose(t)) {
        this.problems.push({ line: t.line, message: 'unexpected "}"' });
        this.i++;
        continue;
      }
      // Keys: tokens up to `{` (keys may span lines when a key ends with a comma).
      const keys: Token[] = [];
      while (this.i < this.tokens.length) {
        const k = this.peek()!;
        if (this.isOpen(k) || this.isClose(k)) break;
        if (keys.length > 0 && k.line !== keys[keys.length - 1]!.line && !keys[keys.length - 1]!.text.endsWith(',')) break;
        keys.push(k);
        this.i++;
      }
      const keyTexts = keys.flatMap((k) => k.text.split(',').filter((s) => s !== '').map((s) => ({ text: s, line: k.line })));
      if (keyTexts.length === 1 && keyTexts[0]!.text.startsWith('(') && keyTexts[0]!.text.endsWith(')') && this.isOpen(this.peek())) {
        const name = keyTexts[0]!.text.slice(1, -1);
        this.i++;
        this.snippets.set(name, this.parseDirectives(true));
        continue;
      }
      if (this.isOpen(this.peek())) {
        this.i++;
        const directives = this.parseDirectives(true);
        if (keyTexts.length === 0) this.problems.push({ line: this.tokens[this.i - 1]?.line ?? 1, message: 'server block without a zone' });
        blocks.push({ keys: keyTexts.map((k) => parseServerKey(k.text, k.line)), line: keys[0]?.line ?? 1, directives });
        continue;
      }
      if (blocks.length === 0 && keyTexts.length > 0 && this.i < this.tokens.length) {
        // A single server block without braces: the rest of the file is its body.
        const directives = this.parseDirectives(false);
        blocks.push({ keys: keyTexts.map((k) => parseServerKey(k.text, k.line)), line: keys[0]!.line, directives });
        continue;
      }
      if (keyTexts.length > 0) {
        this.problems.push({ line: keys[0]!.line, message: `server block "${keyTexts.map((k) => k.text).join(' ')}" has no "{"` });
      }
    }
    return blocks;
  }

  /** Directives until the matching `}` (inBlock) or the end of the tokens. */
  private parseDirectives(inBlock: boolean): CorefileDirective[] {
    const out: CorefileDirective[] = [];
    const startLine = this.tokens[this.i - 1]?.line ?? 1;
    while (this.i < this.tokens.length) {
      const t = this.peek()!;
      if (this.isClose(t)) {
        this.i++;
        if (inBlock) return out;
        this.problems.push({ line: t.line, message: 'unexpected "}"' });
        continue;
      }
      // A token glued to a closing brace (`}STUBDOMAINS`, a sed template): close, and report the rest.
      if (!t.quoted && t.text.startsWith('}') && !t.env) {
        this.problems.push({ line: t.line, message: `unexpected "${t.text.slice(1)}" after "}"` });
        this.i++;
        if (inBlock) return out;
        continue;
      }
      if (this.isOpen(t)) {
        this.problems.push({ line: t.line, message: 'unexpected "{"' });
        this.i++;
        this.parseDirectives(true);
        continue;
      }
      out.push(...this.parseDirective());
    }
    if (inBlock) this.problems.push({ line: startLine, message: 'unclosed "{"' });
    return out;
  }

  private parseDirective(): CorefileDirective[] {
    const head = this.peek()!;
    this.i++;
    const args: string[] = [];
    let placeholder = head.env || isPlaceholder(head.text);
    while (this.i < this.tokens.length) {
      const t = this.peek()!;
      if (t.line !== head.line) break;
      if (this.isOpen(t) || this.isClose(t)) break;
      if (!t.quoted && t.text.startsWith('}')) break;
      args.push(t.text);
      if (t.env || (!t.quoted && isPlaceholder(t.text))) placeholder = true;
      this.i++;
    }
    let block: CorefileDirective[] | undefined;
    const next = this.peek();
    if (this.isOpen(next) && next!.line === this.lastLine()) {
      this.i++;
      block = this.parseDirectives(true);
    }
    if (head.text === 'import' && !head.quoted) {
      const target = args[0];
      if (target === undefined) {
        this.problems.push({ line: head.line, message: 'import without an argument' });
        return [];
      }
      const snippet = this.snippets.get(target);
      if (snippet) return snippet.map((d) => ({ ...d, fromSnippet: target }));
      this.imports.push({ target, line: head.line });
      return [{ name: 'import', args, line: head.line }];
    }
    return [{
      name: head.text.toLowerCase(), args, line: head.line,
      ...(block ? { block } : {}),
      ...(placeholder ? { placeholder } : {}),
    }];
  }

  private lastLine(): number {
    return this.tokens[this.i - 1]?.line ?? 0;
  }
}

/**
 * Parse a Corefile text. Never throws. With `bodyOf`, the text is the directives of one server
 * block for that zone (AKS coredns-custom `*.override` keys are pasted into the `.:53` block).
 */
export function parseCorefile(text: string, opts: { readonly bodyOf?: string } = {}): Corefile {
  const { tokens, problems } = tokenize(text);
  const p = new Parser(tokens);
  const blocks = opts.bodyOf !== undefined ? p.parseBody(opts.bodyOf) : p.parseFile();
  return { blocks, imports: p.imports, problems: [...problems, ...p.problems].sort((a, b) => a.line - b.line) };
}

// ---- Helpers for rules ----

/** The sub-directive named `name` inside a directive's block (first one). */
export const subDirective = (d: CorefileDirective, name: string): CorefileDirective | undefined =>
  d.block?.find((s) => s.name === name);

/** Every directive named `name` of a server block. */
export const directivesNamed = (b: ServerBlock, name: string): CorefileDirective[] =>
  b.directives.filter((d) => d.name === name);
