#!/usr/bin/env node
// Thin shell: main() returns the exit code; only this file sets it.
// dist/bundle/ is src/cli/index.ts bundled by scripts/bundle.ts (npm run build): start-up time.
import { main } from '../dist/bundle/cli.js';

// `dualstack-audit ... | head` closes the pipe early: stop quietly, as other CLI tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await main(process.argv);
