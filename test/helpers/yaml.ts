// Small builders for test YAML. Line numbers in tests count from the first line of the text.
import { readFileSync } from 'node:fs';

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
