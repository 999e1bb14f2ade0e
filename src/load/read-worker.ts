// The read worker (read-pool.ts): reads, decodes and parses the files of each batch it is sent
// and posts their FileReads. A file that makes the reader throw gets null (the main thread reads
// it again, and fails the same way a run without threads would); a batch that cannot be posted
// is posted as null (read again inline).

import { parentPort } from 'node:worker_threads';
import { readManifestFile, type FileRead } from './read-file.ts';
import type { BatchAnswer, BatchRequest } from './read-pool.ts';

const port = parentPort;
if (port) {
  port.on('message', (m: BatchRequest) => {
    const reads: (FileRead | null)[] = [];
    for (let i = 0; i < m.files.length; i++) {
      try {
        reads.push(readManifestFile(m.files[i]!, m.names[i]!, m.maxBytes));
      } catch {
        reads.push(null);
      }
    }
    try {
      port.postMessage({ batch: m.batch, reads } satisfies BatchAnswer);
    } catch {
      port.postMessage({ batch: m.batch, reads: null } satisfies BatchAnswer);
    }
  });
}
