// Temporary directories of a test file, removed when its process exits however the tests ended
// (a failed assertion, a forgotten finally): `npm test` leaves nothing behind. scripts/run-tests.mjs
// runs the tests with a private TMPDIR and fails when anything is left in it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();
let hooked = false;

/** A fresh directory under the temporary directory, removed at exit (or earlier with removeTempDir). */
export function tempDir(prefix = 'dsa-test-'): string {
  if (!hooked) {
    hooked = true;
    // 'exit' handlers run synchronously after the test runner has reported; rmSync is synchronous.
    process.on('exit', () => {
      for (const d of made) rmSync(d, { recursive: true, force: true });
    });
  }
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.add(d);
  return d;
}

export function removeTempDir(d: string): void {
  rmSync(d, { recursive: true, force: true });
  made.delete(d);
}
