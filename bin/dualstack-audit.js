#!/usr/bin/env node
// Thin shell: main() returns the exit code; only this file sets it.
// dist/bundle/ is src/cli/index.ts bundled by scripts/bundle.ts (npm run build): start-up time.
import { setFlagsFromString } from 'node:v8';
import { main } from '../dist/bundle/cli.js';

// Peak memory (issue 21; docs/performance.md, "Heap growth"). After each full collection V8 lets
// the heap grow to up to 4x what survived before it collects again; an audit's live set only
// grows while the input is read and stays until the report is written, so the process peaked at
// ~3x its live heap (690 MiB for 100,000 documents). 40% growth keeps it near 1.5x (~440 MiB) for
// a few more full collections. V8 reads the flag at each collection, so it applies when set here.
// `node --heap-growing-percent=N bin/dualstack-audit.js` (0: V8's own policy) overrides it.
if (!process.execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) {
  setFlagsFromString('--heap-growing-percent=40');
}

// Output errors (issue 20). `dualstack-audit ... | head` closes the pipe early: stop writing
// quietly, as other CLI tools do, but keep the gate's exit code (exiting at once gave 0 before
// main() had returned 1). Any other write error (ENOSPC on `>/dev/full`, EIO) is one line on
// stderr and exit 2, not an uncaught stack trace: the report was not delivered.
const closed = new Set();
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (closed.has(stream)) return; // later writes to a stream already gone
    closed.add(stream);
    if (err && err.code === 'EPIPE') return;
    const why = err && err.code === 'ENOSPC' ? 'no space left on device' : String((err && err.message) || err).split('\n')[0];
    if (stream === process.stdout && !closed.has(process.stderr)) {
      try {
        process.stderr.write(`dualstack-audit: cannot write the report to stdout: ${why}\n`);
      } catch {
        // stderr is gone too
      }
    }
    process.exit(2);
  });
}

process.exitCode = await main(process.argv);
