// Writes docs/rules/<id>.md and docs/rules.md from rule metadata.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../src/rules/index.ts';
import { ruleDoc, rulesIndexDoc } from '../src/docs.ts';

const docs = new URL('../docs/', import.meta.url).pathname;
mkdirSync(join(docs, 'rules'), { recursive: true });
const ids = new Set(RULES.map((r) => r.meta.id));
for (const f of readdirSync(join(docs, 'rules'))) {
  if (f.endsWith('.md') && !ids.has(f.slice(0, -3))) rmSync(join(docs, 'rules', f));
}
for (const r of RULES) writeFileSync(join(docs, 'rules', `${r.meta.id}.md`), ruleDoc(r.meta));
writeFileSync(join(docs, 'rules.md'), rulesIndexDoc(RULES.map((r) => r.meta)));
