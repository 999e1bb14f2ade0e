// Builders for Corefile rule tests. In `configMap(...)` the Corefile's line N is file line N + 7.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPaths } from '../../src/load/files.ts';
import { buildModel } from '../../src/model/build.ts';
import { run } from '../../src/engine/run.ts';
import type { Rule } from '../../src/rules/types.ts';
import type { Family } from '../../src/model/types.ts';
import type { Report } from '../../src/engine/types.ts';

export const COREFILE_LINE_OFFSET = 7;

/** A ConfigMap holding `corefile` in a literal block scalar (default: kube-system/coredns). */
export function configMap(corefile: string, opts: { name?: string; namespace?: string } = {}): string {
  const body = corefile.replace(/\n$/, '').split('\n').map((l) => (l === '' ? '' : `    ${l}`)).join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${opts.name ?? 'coredns'}\n  namespace: ${opts.namespace ?? 'kube-system'}\ndata:\n  Corefile: |\n${body}\n`;
}

/** Audit a standalone Corefile file (named `name`) with `rules`. */
export async function auditCorefileFile(text: string, rules: readonly Rule[], name = 'Corefile', families: readonly Family[] = ['IPv4', 'IPv6']): Promise<Report> {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-corefile-'));
  try {
    writeFileSync(join(dir, name), text);
    const loaded = await loadPaths([dir]);
    const model = buildModel(loaded.documents, { clusterFamilies: { families, from: 'flag' } });
    return run(model, rules, {
      locate: loaded.locator.locate, only: rules.map((r) => r.meta.id), resolve: true,
      tool: { name: 'dualstack-audit', version: 'test' },
      target: { mode: 'files', sources: [dir], clusterFamilies: [...families], familiesFrom: 'flag' },
      problems: loaded.problems,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
