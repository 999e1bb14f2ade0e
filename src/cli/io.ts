// The CLI's edge to the process: the CliIO it writes through (tests pass their own), the one-line
// UsageError, the tool's version, the colour decision, the text report's renderers and the one
// place a report (or snapshot) is written to stdout or a file.

import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { stdinIsPiped } from './usage.ts';
import { readStreamCapped } from '../load/files.ts';
import { gate, type FailOn, type GateResult } from '../engine/gate.ts';
import type { Report } from '../engine/types.ts';
import { render, type Format } from '../report/render.ts';
import { formatJsonChunks } from '../report/json.ts';
import { formatSarifChunks } from '../report/sarif.ts';
import { formatJunitChunks } from '../report/junit.ts';
import { plainStyle, plainTable, boxTable, type Style, type TableRenderer } from '../report/text.ts';
import { sarifReplacements } from './fix.ts';

export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  readStdin(): Promise<Uint8Array>;
  env: Readonly<Record<string, string | undefined>>;
  stdoutIsTTY: boolean;
  /** Where the config file search starts and relative --config/--baseline paths resolve (default process.cwd()). */
  cwd?: string;
  /** Live audits draw a progress line on stderr only when it is a terminal. */
  stderrIsTTY?: boolean;
  /** stdin is a pipe or a file: with no paths, the audit notes that stdin is not read (cli/usage.ts). */
  stdinIsPiped?: boolean;
}

export const defaultIO = (): CliIO => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  // Capped while reading (load/files.ts): stdin has no size to check first.
  readStdin: () => readStreamCapped(process.stdin),
  env: process.env,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  stdinIsPiped: stdinIsPiped(),
});

/** How a report is written: format, destination, colour, the gate. */
export interface OutputOpts {
  readonly format: Format;
  readonly output?: string;
  readonly color: string;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly failOn: FailOn;
  readonly minScore?: number;
  /** --allow-partial (allowPartial in the config file): kinds not read do not fail the gate. */
  readonly allowPartial?: boolean;
  /** --allow-empty: a run with nothing to audit passes (exit 0) instead of exiting 2. */
  readonly allowEmpty?: boolean;
}

/** A user-facing error: one line, exit 2. */
export class UsageError extends Error {}

/**
 * How the manifests are read, from the environment: DUALSTACK_AUDIT_READ_THREADS, the worker
 * threads that read and parse them (0: none; unset, the loader decides: load/read-pool.ts). A
 * worker that fails is one line on stderr (at most three): the audit goes on, its files read on
 * the main thread with the same result, but a worker should not fail.
 */
export function readOptions(io: CliIO): { readThreads?: number; onReadWorkerError: (message: string) => void } {
  const v = io.env.DUALSTACK_AUDIT_READ_THREADS;
  let told = 0;
  const onReadWorkerError = (m: string): void => {
    if (told++ < 3) io.stderr(`dualstack-audit: a read worker thread failed (${m}); its files were read on the main thread\n`);
  };
  if (v === undefined || v === '') return { onReadWorkerError };
  if (!/^\d{1,2}$/.test(v.trim())) throw new UsageError(`DUALSTACK_AUDIT_READ_THREADS must be a whole number from 0 to 99 (0 reads on the main thread), not "${v}"`);
  return { readThreads: Number(v.trim()), onReadWorkerError };
}

let version: string | undefined;

/**
 * The package's version: package.json is ../../ from src/cli/ and dist/bundle/, ../../../ from
 * dist/src/cli/. Read once per process: it cannot change while the process runs.
 */
export function toolVersion(): string {
  if (version !== undefined) return version;
  version = '0.0.0';
  for (const rel of ['../../package.json', '../../../package.json']) {
    const p = new URL(rel, import.meta.url);
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'dualstack-audit' && pkg.version) {
        version = pkg.version;
        break;
      }
    }
  }
  return version;
}

export const TOOL = (): { name: string; version: string } => ({ name: 'dualstack-audit', version: toolVersion() });

/** Colour: --color wins; else NO_COLOR disables, FORCE_COLOR enables, else only on a TTY. */
export function useColor(opt: string, env: CliIO['env'], isTTY: boolean): boolean {
  if (opt === 'always') return true;
  if (opt === 'never') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

/** The colour decision of a report: written to a file (-o), only with --color always. */
export const reportColor = (out: { readonly color: string; readonly output?: string | undefined }, io: CliIO): boolean =>
  out.output ? out.color === 'always' : useColor(out.color, io.env, io.stdoutIsTTY);

/**
 * Colour and tables of the text report. chalk is loaded only for colour; without colour,
 * `asciiTable` (a table of printable ASCII cells, as the score table is) draws boxTable, the same
 * text as cli-table3 without loading it (start-up time, issue 9).
 */
export async function textRenderers(color: boolean, opts: { asciiTable?: boolean } = {}): Promise<{ style: Style; table: TableRenderer }> {
  if (!color && opts.asciiTable) return { style: plainStyle, table: boxTable };
  let style: Style = plainStyle;
  if (color) {
    const { Chalk } = await import('chalk');
    const c = new Chalk({ level: 1 });
    style = { bold: c.bold, dim: c.dim, red: c.red, yellow: c.yellow, green: c.green, cyan: c.cyan, magenta: c.magenta };
  }
  const { default: Table } = await import('cli-table3');
  const table: TableRenderer = (head, rows) => {
    const t = new Table({ head: [...head], style: { head: color ? ['bold'] : [], border: color ? ['grey'] : [] } });
    for (const r of rows) t.push([...r]);
    return t.toString();
  };
  return { style, table: color ? table : table ?? plainTable };
}

export const firstLine = (e: unknown): string => (e as Error).message.split('\n')[0] ?? String(e);

/**
 * Writes `text` to stdout, or to the file `output` and then, unless quiet,
 * "Wrote FILE: summary" on stderr. A file that cannot be written is a UsageError.
 */
export function writeOutput(io: CliIO, output: string | undefined, text: string | Iterable<string>, summary: string, quiet?: boolean): void {
  if (!output) {
    if (typeof text === 'string') io.stdout(text);
    else for (const batch of batches(text)) io.stdout(batch);
    return;
  }
  try {
    if (typeof text === 'string') writeFileSync(output, text);
    else writeChunks(output, text);
  } catch (e) {
    throw new UsageError(`cannot write ${output}: ${firstLine(e)}`);
  }
  if (!quiet) io.stderr(`Wrote ${output}: ${summary}\n`);
}

/** Pieces of a report joined into writes of about a megabyte. */
function* batches(chunks: Iterable<string>): Generator<string> {
  let acc = '';
  for (const c of chunks) {
    acc += c;
    if (acc.length >= 1 << 20) {
      yield acc;
      acc = '';
    }
  }
  if (acc !== '') yield acc;
}

/**
 * Writes the pieces to a file (created or truncated, as writeFileSync does), each encoded into one
 * buffer that is written when full. Joining pieces into a megabyte string first made a rope that
 * Buffer.from had to flatten, and one non-Latin-1 character (an arrow in a message) made the whole
 * megabyte a two-byte string, slow to encode: 0.40 s for the 60 MB JSON report of 100,000
 * documents, against 0.07 s piece by piece (docs/performance.md, item 38).
 */
export function writeChunks(output: string, chunks: Iterable<string>): void {
  const fd = openSync(output, 'w');
  try {
    const buf = Buffer.allocUnsafe(WRITE_BYTES);
    let used = 0;
    const put = (b: Uint8Array, n: number): void => {
      for (let off = 0; off < n;) off += writeSync(fd, b, off, n - off);
    };
    const flush = (): void => {
      put(buf, used);
      used = 0;
    };
    // A piece that ends inside a surrogate pair waits for the next one: encoded alone, each half
    // would become U+FFFD.
    let carry = '';
    for (let c of chunks) {
      if (carry !== '') {
        c = carry + c;
        carry = '';
      }
      const last = c.charCodeAt(c.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        carry = c.slice(-1);
        c = c.slice(0, -1);
      }
      // At most 3 bytes per UTF-16 unit (4 per surrogate pair).
      if (used + 3 * c.length > buf.length) flush();
      if (3 * c.length > buf.length) {
        const b = Buffer.from(c, 'utf8');
        put(b, b.length);
      } else used += buf.write(c, used, 'utf8');
    }
    if (carry !== '') used += buf.write(carry, used, 'utf8');
    flush();
  } finally {
    closeSync(fd);
  }
}

/** The buffer writeChunks encodes into. */
const WRITE_BYTES = 1 << 20;

export const gateOf = (report: Report, out: OutputOpts): GateResult =>
  gate(report, {
    failOn: out.failOn, ...(out.minScore !== undefined ? { minScore: out.minScore } : {}), ...(out.allowPartial ? { allowPartial: true } : {}),
    ...(out.allowEmpty ? { allowEmpty: true } : {}),
  });

/** The text of one report in the chosen format, gated. */
export async function reportText(report: Report, out: OutputOpts, io: CliIO, opts: { asciiTable?: boolean } = {}): Promise<{ text: string; gate: GateResult }> {
  const g = gateOf(report, out);
  const renderers = out.format === 'text' ? await textRenderers(reportColor(out, io), opts) : {};
  // SARIF carries each patch as a replacement in its file (fixes[]): the files are read for it.
  const sarif = out.format === 'sarif' ? { sarif: { fixes: sarifReplacements(report) } } : {};
  return { text: render(report, out.format, { ...renderers, ...sarif, gate: g, quiet: out.quiet, verbose: out.verbose }), gate: g };
}

/** Writes one report; returns the exit code of its gate (0 passed, 1 failed, 2 nothing audited). */
export async function emitReport(report: Report, out: OutputOpts, io: CliIO, opts: { asciiTable?: boolean } = {}): Promise<number> {
  // JSON is written as it is serialised (report/json.ts): the largest reports never become one string.
  // SARIF and JUnit likewise, result by result and test case by test case (report/sarif.ts, junit.ts).
  const { text, gate: g } = out.format === 'json' ? { text: formatJsonChunks(report), gate: gateOf(report, out) }
    : out.format === 'sarif' ? { text: formatSarifChunks(report, { fixes: sarifReplacements(report) }), gate: gateOf(report, out) }
    : out.format === 'junit' ? { text: formatJunitChunks(report), gate: gateOf(report, out) }
    : await reportText(report, out, io, opts);
  writeOutput(io, out.output, text, `score ${report.score.overall ?? '-'} (${report.score.grade}), ${report.findings.length} findings; gate ${g.passed ? 'passed' : 'failed'}`, out.quiet);
  // Nothing evaluated: not a pass and not a gate failure, but an audit that could not be done (exit 2).
  if (g.nothingAudited !== undefined) {
    io.stderr(`dualstack-audit: nothing to audit: ${g.nothingAudited}\n`);
    return 2;
  }
  if (g.emptyAllowed !== undefined && !out.quiet) io.stderr(`dualstack-audit: nothing to audit: ${g.emptyAllowed}; passed (--allow-empty)\n`);
  return g.passed ? 0 : 1;
}
