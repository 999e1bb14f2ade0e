// What the Locator keeps of the files and chunks (documents) read, packed in typed arrays: a few
// numbers per chunk and per file instead of an object per file, an array and an object per chunk
// and a Map entry per file (at 100,000 documents in 45,600 files those held ~28 MB of live heap
// through the rules and the report). Pure data: files.ts fills it while it reads and reads from it
// when a position is asked for.

/**
 * How to find a chunk's bytes in its file again: ASCII (byte offset = BOM + character offset),
 * UTF8 (byteStart(chunk) is the chunk's first byte; the next chunk's start, or the size, ends it),
 * WHOLE (UTF-16, or a text that differs from the bytes: decode the whole file again).
 */
export const ASCII = 0;
export const UTF8 = 1;
export const WHOLE = 2;
export type Layout = typeof ASCII | typeof UTF8 | typeof WHOLE;

const LAYOUT_MASK = 3;
const BOM = 4;
const COREFILE = 8;
/** The file is read again at join(cwd at the read, display name): files.ts readPath. */
const IN_CWD = 16;

type IntArray = Int32Array | Float64Array | Uint8Array;

/** A growable column of numbers (doubled as needed, trimmed to its length by `seal`). */
class Column<A extends IntArray> {
  n = 0;
  constructor(public a: A, private readonly make: (n: number) => A) {}
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = this.make(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  seal(): void {
    if (this.a.length !== this.n) this.a = this.a.slice(0, this.n) as A;
  }
}

const ints = (n: number): Int32Array => new Int32Array(n);
const floats = (n: number): Float64Array => new Float64Array(n);
const bytes = (n: number): Uint8Array => new Uint8Array(n);

/**
 * Files and their chunks. A file is a number (its order of reading); its chunks are the numbers
 * first(f) .. first(f) + count(f) - 1 of one table shared by all files.
 */
export class FileTable {
  // Per chunk. root: where the chunk's content starts (yaml/stream.ts rootPosition), packed as
  // line * 1e6 + column (line < 2000, column < 1e6: below 2^31), or -1.
  private readonly cStart = new Column(ints(1024), ints);
  private readonly cEnd = new Column(ints(1024), ints);
  private readonly cLine = new Column(ints(1024), ints);
  private readonly cRoot = new Column(ints(1024), ints);
  /** Byte offset of the chunk in its file (utf8 layout only; 0 otherwise). */
  private readonly cByte = new Column(ints(1024), ints);
  /** Helm's `# Source:` of the chunks that have one. */
  private readonly helm = new Map<number, string>();

  // Per file.
  private readonly fFirst = new Column(ints(256), ints);
  private readonly fCount = new Column(ints(256), ints);
  private readonly fSize = new Column(floats(256), floats);
  private readonly fMtime = new Column(floats(256), floats);
  private readonly fFlags = new Column(bytes(256), bytes);
  /** Where to read a file again, when it is not its display name (see files.ts readPath). */
  private readonly paths = new Map<number, string>();
  /** stdin's text (kept: it cannot be read again). */
  private readonly texts = new Map<number, string>();
  /** The texts of the chunks kept at the read (read-file.ts KEPT_KINDS), by chunk. */
  private readonly chunkTexts = new Map<number, string>();
  /** Display name -> file (a name read twice: the last read). */
  private readonly byName = new Map<string, number>();

  /** Start a file; its chunks follow with addChunk. Returns the file's number. */
  addFile(display: string, size: number, mtimeMs: number, layout: Layout, bom: number, corefile = false): number {
    const f = this.fFirst.n;
    this.fFirst.push(this.cStart.n);
    this.fCount.push(0);
    this.fSize.push(size);
    this.fMtime.push(mtimeMs);
    this.fFlags.push(layout | (bom === 3 ? BOM : 0) | (corefile ? COREFILE : 0));
    this.byName.set(display, f);
    return f;
  }

  /** A chunk of the file last added. */
  addChunk(start: number, end: number, lineOffset: number, helmSource: string | undefined): void {
    const c = this.cStart.n;
    this.cStart.push(start);
    this.cEnd.push(end);
    this.cLine.push(lineOffset);
    this.cRoot.push(-1);
    this.cByte.push(0);
    if (helmSource) this.helm.set(c, helmSource);
    this.fCount.a[this.fCount.n - 1]!++;
  }

  setRoot(chunk: number, root: number): void {
    this.cRoot.a[chunk] = root;
  }

  setByteStart(chunk: number, byte: number): void {
    this.cByte.a[chunk] = byte;
  }

  setPath(f: number, p: string): void {
    this.paths.set(f, p);
  }

  setInCwd(f: number): void {
    this.fFlags.a[f]! |= IN_CWD;
  }

  setText(f: number, text: string): void {
    this.texts.set(f, text);
  }

  setChunkText(chunk: number, text: string): void {
    this.chunkTexts.set(chunk, text);
  }

  /** Trim the columns to their length once every file is read. */
  seal(): void {
    for (const c of [this.cStart, this.cEnd, this.cLine, this.cRoot, this.cByte, this.fFirst, this.fCount, this.fSize, this.fMtime, this.fFlags]) c.seal();
  }

  file(display: string): number | undefined {
    return this.byName.get(display);
  }

  /** The chunk `doc` of file `f`, or -1 when the file has no such chunk. */
  chunk(f: number, doc: number): number {
    return doc >= 0 && doc < this.fCount.a[f]! ? this.fFirst.a[f]! + doc : -1;
  }

  first(f: number): number { return this.fFirst.a[f]!; }
  count(f: number): number { return this.fCount.a[f]!; }
  size(f: number): number { return this.fSize.a[f]!; }
  mtimeMs(f: number): number { return this.fMtime.a[f]!; }
  layout(f: number): Layout { return (this.fFlags.a[f]! & LAYOUT_MASK) as Layout; }
  bom(f: number): number { return this.fFlags.a[f]! & BOM ? 3 : 0; }
  corefile(f: number): boolean { return (this.fFlags.a[f]! & COREFILE) !== 0; }
  path(f: number): string | undefined { return this.paths.get(f); }
  inCwd(f: number): boolean { return (this.fFlags.a[f]! & IN_CWD) !== 0; }
  text(f: number): string | undefined { return this.texts.get(f); }
  chunkText(c: number): string | undefined { return this.chunkTexts.get(c); }

  start(c: number): number { return this.cStart.a[c]!; }
  end(c: number): number { return this.cEnd.a[c]!; }
  lineOffset(c: number): number { return this.cLine.a[c]!; }
  root(c: number): number { return this.cRoot.a[c]!; }
  byteStart(c: number): number { return this.cByte.a[c]!; }
  helmSource(c: number): string | undefined { return this.helm.get(c); }
}
