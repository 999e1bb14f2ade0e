// The reading floors of the benchmark (scripts/bench.ts): read every *.yaml/*.yml/*.json under
// DIR and parse each file with js-yaml's loadAll or yaml's parseAllDocuments, nothing else.
// Plain JavaScript on purpose: the floor must not pay for tsx. Prints the document count.
//   node scripts/bench-floor.mjs js-yaml|yaml DIR
import { readdirSync, readFileSync } from 'node:fs';
import { join, extname } from 'node:path';

const [which, dir] = process.argv.slice(2);
if (!['js-yaml', 'yaml'].includes(which) || !dir) {
  process.stderr.write('usage: bench-floor.mjs js-yaml|yaml DIR\n');
  process.exit(2);
}
const files = [];
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (['.yaml', '.yml', '.json'].includes(extname(e.name))) files.push(p);
  }
};
walk(dir);
let docs = 0;
let failed = 0;
if (which === 'js-yaml') {
  const { default: jsyaml } = await import('js-yaml');
  for (const f of files) {
    try {
      jsyaml.loadAll(readFileSync(f, 'utf8'), (d) => { if (d != null) docs++; });
    } catch {
      failed++;
    }
  }
} else {
  const { parseAllDocuments } = await import('yaml');
  for (const f of files) {
    for (const d of parseAllDocuments(readFileSync(f, 'utf8'))) {
      if (d.contents != null) docs++;
      if (d.errors.length > 0) failed++;
    }
  }
}
process.stdout.write(`${JSON.stringify({ files: files.length, documents: docs, failed })}\n`);
