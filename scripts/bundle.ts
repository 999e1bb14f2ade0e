// The shipped CLI (issue 9, start-up time): src/cli/index.ts and its pure-JavaScript dependencies
// bundled by esbuild into dist/bundle/, one ES module for what every run needs plus chunks for
// what only some runs load with import() (live audits, --resolve, the text report's chalk and
// cli-table3). Measured: ~130 ES modules (84 of them rules) plus commander and ipaddr.js read
// through the CommonJS export lexer made a one-file audit ~3.5x `node -e 0` in CPU; bundled it
// is ~2x (docs/performance.md). `npm run build` runs it after tsc (which still type-checks and
// writes dist/src/ for development); bin/dualstack-audit.js imports dist/bundle/cli.js.
//
// - EXTERNAL stays in node_modules: it is loaded lazily (client-node for live audits; yaml and
//   re2-wasm through createRequire on first use) and is large or not plain JavaScript.
// - The output folder is emptied first, so no chunk of an earlier build is left to be packed;
//   dist/bundle.meta.json (esbuild's metafile, not packed) lists inputs and outputs, which
//   test/pack.test.ts and test/cli-startup.test.ts check.
// - dist/bundle/THIRD-PARTY-NOTICES.txt carries the license of every bundled package.
import { build, type Metafile, type Plugin } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
export const OUTDIR = 'dist/bundle';
export const METAFILE = 'dist/bundle.meta.json';
export const NOTICES = `${OUTDIR}/THIRD-PARTY-NOTICES.txt`;
export const EXTERNAL = ['@kubernetes/client-node', 'yaml', 're2-wasm'];

/** The package folder (relative to root) that a node_modules input path belongs to. */
export function packageDirOf(input: string): string {
  const parts = input.split('/');
  const i = parts.lastIndexOf('node_modules');
  return parts.slice(0, i + (parts[i + 1]?.startsWith('@') ? 3 : 2)).join('/');
}

function notices(inputs: readonly string[]): string {
  const dirs = [...new Set(inputs.filter((p) => p.includes('node_modules/')).map(packageDirOf))].sort();
  const parts = [
    'dualstack-audit bundles the following packages into dist/bundle/ (scripts/bundle.ts).',
    'Their licenses follow.',
  ];
  for (const d of dirs) {
    const pkg = JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    const files = readdirSync(join(root, d)).filter((f) => /^(licen[cs]e|copying|notice)/i.test(f)).sort();
    if (files.length === 0) throw new Error(`${d}: no license file to put into ${NOTICES}`);
    parts.push(`\n${'='.repeat(78)}\n${pkg.name}@${pkg.version} (${pkg.license ?? 'see below'})\n${'='.repeat(78)}`);
    for (const f of files) parts.push(readFileSync(join(root, d, f), 'utf8').trimEnd());
  }
  return `${parts.join('\n')}\n`;
}

/** Builds dist/bundle/; with write: false only computes the metafile (tests). */
// commander requires node:child_process when it loads, for executable subcommands, which this
// CLI does not have: ~7 ms of every start-up. Its only use (childProcess.spawn) now loads it.
const COMMANDER_CHILD_PROCESS = "const childProcess = require('node:child_process');";
const lazyChildProcess: Plugin = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (text.split(COMMANDER_CHILD_PROCESS).length !== 2) throw new Error(`${args.path}: "${COMMANDER_CHILD_PROCESS}" not found once; update scripts/bundle.ts`);
      return { loader: 'js', contents: text.replace(COMMANDER_CHILD_PROCESS, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };") };
    });
  },
};

export async function bundle(opts: { write?: boolean } = {}): Promise<Metafile> {
  const write = opts.write ?? true;
  const out = join(root, OUTDIR);
  if (write) {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
  }
  const result = await build({
    write,
    absWorkingDir: root,
    // The read worker (load/read-pool.ts) is its own entry: a worker thread loads it by file name.
    entryPoints: { cli: 'src/cli/index.ts', 'read-worker': 'src/load/read-worker.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Flat, so that import.meta.url-relative paths (toolVersion's ../../package.json) are as in dist/src/.
    outdir: OUTDIR,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    external: EXTERNAL,
    plugins: [lazyChildProcess],
    // Bundled CommonJS packages (commander, cli-table3) require() node built-ins.
    banner: { js: "import { createRequire as __dsaCreateRequire } from 'node:module'; const require = __dsaCreateRequire(import.meta.url);" },
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
  });
  if (write) {
    writeFileSync(join(root, METAFILE), `${JSON.stringify(result.metafile, null, 1)}\n`);
    writeFileSync(join(root, NOTICES), notices(Object.keys(result.metafile.inputs)));
  }
  return result.metafile;
}

if (import.meta.url === `file://${process.argv[1]}`) await bundle();
