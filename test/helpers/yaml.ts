// Small builders for test YAML. Line numbers in tests count from the first line of the text.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url).pathname;

/** A Service; `spec` lines are appended under `spec:` (indent 2), starting at line 6. */
export function svc(spec: string, opts: { name?: string; namespace?: string; meta?: string } = {}): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${opts.name ?? 'web'}`,
    ...(opts.namespace ? [`  namespace: ${opts.namespace}`] : []),
    ...(opts.meta ? opts.meta.split('\n').map((l) => `  ${l}`) : []),
    'spec:',
    ...spec.split('\n').filter((l) => l !== '').map((l) => `  ${l}`),
    '',
  ].join('\n');
}

/** A fixture file's text (tests stand alone: fixtures are in the repo). */
export function fixture(path: string): string {
  return readFileSync(`${root}fixtures/${path}`, 'utf8');
}

/** Every YAML and JSON file under fixtures/, sorted (empty when fixtures/ is absent). */
export function fixtureFiles(): string[] {
  const root = fileURLToPath(new URL('../../fixtures', import.meta.url));
  const files: string[] = [];
  if (!existsSync(root)) return files;
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/.test(n)) files.push(p);
    }
  };
  walk(root);
  return files;
}
