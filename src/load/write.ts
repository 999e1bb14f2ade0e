// Reading a file to fix it and writing it back (`dualstack-audit fix`): the only code that
// writes manifests. A write is atomic (a temporary file in the same directory, then rename over
// the original, so a reader sees the old or the new file, never half of one) and happens only
// if the file still holds the bytes that were read: a file changed since is not overwritten.
// Kept next to files.ts because it is I/O; src/fix/ stays pure.

import { closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface ReadForFix {
  /** The file the name leads to (symlinks resolved): the one written. */
  readonly real: string;
  readonly text: string;
  readonly bytes: Buffer;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function readForFix(file: string): ReadForFix | { error: string } {
  let real: string;
  let bytes: Buffer;
  try {
    real = realpathSync(file);
    if (!statSync(real).isFile()) return { error: 'not a regular file' };
    bytes = readFileSync(real);
  } catch (e) {
    return { error: `cannot read: ${errText(e)}` };
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return { error: 'UTF-16 text: not edited' };
  try {
    return { real, text: utf8.decode(bytes), bytes };
  } catch {
    return { error: 'not UTF-8 text: not edited' };
  }
}

/** Write text (UTF-8) over `read.real` if it still holds `read.bytes`; keeps the file's mode. */
export function writeIfUnchanged(read: ReadForFix, text: string): { ok: true } | { error: string } {
  const dir = path.dirname(read.real);
  const tmp = path.join(dir, `.${path.basename(read.real)}.${randomBytes(6).toString('hex')}.dualstack-audit.tmp`);
  let fd: number | undefined;
  try {
    const mode = statSync(read.real).mode & 0o7777;
    fd = openSync(tmp, 'wx', mode);
    const data = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    // As late as possible before the rename: is the file still what was read?
    if (!readFileSync(read.real).equals(read.bytes)) {
      unlinkSync(tmp);
      return { error: 'changed since it was read: not overwritten' };
    }
    renameSync(tmp, read.real);
    return { ok: true };
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // not created, or already renamed
    }
    return { error: `cannot write: ${errText(e)}` };
  }
}

const errText = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  return err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : (err.message ?? String(e)).split('\n')[0]!;
};
