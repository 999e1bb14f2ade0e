// A worker thread that runs an ES module of this program (load/read-pool.ts's read worker,
// load/cluster.ts's kubeconfig step). Run from the TypeScript sources (the tests, through tsx),
// the worker registers tsx's loader before it imports the module: Node 20 does not pass the
// parent's --import to a worker. Built, the module is JavaScript and is imported as it is.

import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Starts a worker that imports the module at `url` (a file: URL of a .ts or .js module). */
export function moduleWorker(url: string, options: WorkerOptions = {}): Worker {
  const load = `import(${JSON.stringify(url)})`;
  const code = url.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return ${load}; })`
    : load;
  return new Worker(code, { ...options, eval: true });
}
