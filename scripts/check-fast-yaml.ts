// Compares the fast YAML reader (src/yaml/fast.ts) with the js-yaml path over every document
// chunk of a directory of manifests: what parseStream keeps from js-yaml (load, then the JSON copy)
// must equal what the fast reader returns wherever it does not bail.
//   node --import tsx scripts/check-fast-yaml.ts [DIR]   (default ../shared/corpus)
// Prints chunks, how many the fast reader handled, the bail reasons, the differences (must be 0;
// each is printed) and the time of both readers. Exits 1 on a difference.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { performance } from 'node:perf_hooks';
import jsyaml from 'js-yaml';
import { splitSpans, isBlank, K8S_SCHEMA } from '../src/yaml/stream.ts';
import { fastLoad, BAIL, lastBailReason } from '../src/yaml/fast.ts';

const dir = process.argv[2] ?? '../shared/corpus';
const files: string[] = [];
const walk = (d: string): void => {
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p);
    else if (['.yaml', '.yml', '.json'].includes(extname(name))) files.push(p);
  }
};
walk(dir);

const chunks: { file: string; text: string }[] = [];
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  for (const s of splitSpans(text)) if (!isBlank(text, s.start, s.end)) chunks.push({ file: f, text: text.slice(s.start, s.end) });
}

function slow(text: string): string {
  try {
    const v = jsyaml.load(text, { schema: K8S_SCHEMA });
    return JSON.stringify(v ?? null);
  } catch (e) {
    return `error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}

let handled = 0;
let differences = 0;
const reasons = new Map<string, number>();
for (const c of chunks) {
  const f = fastLoad(c.text);
  if (f === BAIL) {
    const r = lastBailReason();
    reasons.set(r, (reasons.get(r) ?? 0) + 1);
    continue;
  }
  handled++;
  const want = slow(c.text);
  const got = JSON.stringify(f);
  if (got !== want) {
    differences++;
    if (differences <= 20) console.log(`DIFFERENCE ${c.file}\n--- chunk\n${c.text.slice(0, 2000)}\n--- js-yaml\n${want.slice(0, 1000)}\n--- fast\n${got.slice(0, 1000)}\n`);
  }
}

// Timing: each reader over every chunk, best of 5 rounds (the machine is shared).
function time(fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
let sink = 0;
const tJs = time(() => {
  for (const c of chunks) {
    try {
      const v = jsyaml.load(c.text, { schema: K8S_SCHEMA });
      if (v !== null && typeof v === 'object') sink += (JSON.parse(JSON.stringify(v)) === null ? 1 : 0);
    } catch {
      sink++;
    }
  }
});
const tJsOnly = time(() => {
  for (const c of chunks) {
    try {
      sink += jsyaml.load(c.text, { schema: K8S_SCHEMA }) === null ? 1 : 0;
    } catch {
      sink++;
    }
  }
});
const tFast = time(() => {
  for (const c of chunks) {
    const v = fastLoad(c.text);
    if (v === BAIL) {
      try {
        const w = jsyaml.load(c.text, { schema: K8S_SCHEMA });
        if (w !== null && typeof w === 'object') sink += (JSON.parse(JSON.stringify(w)) === null ? 1 : 0);
      } catch {
        sink++;
      }
    } else sink += v === null ? 1 : 0;
  }
});

const bytes = chunks.reduce((n, c) => n + c.text.length, 0);
console.log(`directory: ${dir} (${files.length} files, ${(bytes / 1048576).toFixed(1)} MiB of chunks)`);
console.log(`chunks: ${chunks.length}`);
console.log(`handled by the fast reader: ${handled} (${((100 * handled) / chunks.length).toFixed(1)}%)`);
console.log(`bailed: ${chunks.length - handled}`);
for (const [r, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${n}\t${r}`);
console.log(`differences: ${differences}`);
console.log(`time, best of 5: js-yaml + JSON copy ${tJs.toFixed(0)} ms (js-yaml alone ${tJsOnly.toFixed(0)} ms); fast reader, js-yaml where it bails ${tFast.toFixed(0)} ms (${(tJs / tFast).toFixed(1)}x)`);
if (sink < 0) console.log(sink);
process.exitCode = differences === 0 ? 0 : 1;
