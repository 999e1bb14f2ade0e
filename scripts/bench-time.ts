// What both benchmarks read back from `/usr/bin/time -f '%M %U %S' -o FILE` (or the maxRSS preload,
// which writes the first field only): peak RSS in MiB and CPU seconds (user + system).
import { existsSync, readFileSync } from 'node:fs';

export function readTimeFile(file: string): { rssMiB?: number; cpu?: number } {
  if (!existsSync(file)) return {};
  const [kb, user, sys] = readFileSync(file, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return {
    ...(Number.isFinite(kb) && kb! > 0 ? { rssMiB: kb! / 1024 } : {}),
    ...(Number.isFinite(user) && Number.isFinite(sys) ? { cpu: user! + sys! } : {}),
  };
}
