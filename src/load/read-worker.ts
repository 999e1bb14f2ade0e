// The read worker (read-pool.ts): reads, decodes and parses the files of each batch it is sent
// and posts their FileReads. A file that makes the reader throw gets null (the main thread reads
// it again, and fails the same way a run without threads would); a batch that cannot be posted
// is posted as null (read again inline).

import { parentPort } from 'node:worker_threads';
import { readManifestFile, type FileRead } from './read-file.ts';
import type { BatchAnswer, BatchRequest } from './read-pool.ts';
import { readForClone } from '../yaml/fast.ts';

const oneLine = (e: unknown): string => String((e as Error | undefined)?.message ?? e).split('\n')[0]!;

const port = parentPort;
if (port) {
  readForClone();
  port.on('message', (m: BatchRequest) => {
    const reads: (FileRead | null)[] = [];
    const errors: string[] = [];
    let bytes = 0;
    for (let i = 0; i < m.files.length; i++) {
      try {
        const r = readManifestFile(m.files[i]!, m.names[i]!, m.maxBytes);
        bytes += r.size;
        reads.push(r);
      } catch (e) {
        reads.push(null);
        errors.push(`${m.names[i]}: ${oneLine(e)}`);
      }
    }
    try {
      port.postMessage({ batch: m.batch, reads, bytes, ...(errors.length > 0 ? { errors } : {}) } satisfies BatchAnswer);
    } catch (e) {
      port.postMessage({ batch: m.batch, reads: null, bytes, errors: [`cannot post files ${m.names[0]} to ${m.names.at(-1)}: ${oneLine(e)}`] } satisfies BatchAnswer);
    }
  });
}
