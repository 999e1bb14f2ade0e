// Preloaded into every test process by run-tests.mjs. A test that reaches process.exit() (a CLI path
// that exits instead of returning its code) would end its file early; node's runner then reports only
// the tests that ran, and exit 0 would pass the run silently. Here such a call fails the file instead.
const exit = process.exit.bind(process);
process.exit = (code) => {
  process.stderr.write(`# test-guard: process.exit(${code ?? ''}) was called inside a test process; a test must not end the process\n${new Error('process.exit called').stack}\n`);
  exit(1);
};
