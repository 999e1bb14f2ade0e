// Which objects a report judged as stored state (Report.stored, engine/run.ts): objects that carry
// the apiserver's marks, from a live read, a snapshot or `kubectl get -o yaml` among manifests.
// One sentence for every format, from the Report alone.

import type { Report } from '../engine/types.ts';

const MAX_SHOWN = 5;

/**
 * "3 objects read as stored state (apiserver's uid and resourceVersion): Service/default/kubernetes, ...",
 * or undefined when there is nothing to say: no stored object, or a live audit (all stored, by definition).
 */
export function storedLine(report: Report): string | undefined {
  const s = report.stored;
  if (!s || report.target.mode === 'cluster') return undefined;
  const why = "(they carry the apiserver's uid and resourceVersion): allocated addresses are not judged as written, live-only rules judge them";
  if (s.all) return `All ${s.count} object${s.count === 1 ? '' : 's'} of the input read as stored state ${why}`;
  const objects = s.objects ?? [];
  const shown = objects.length <= MAX_SHOWN ? objects.join(', ') : `${objects.slice(0, MAX_SHOWN).join(', ')} and ${objects.length - MAX_SHOWN} more`;
  return `${s.count} object${s.count === 1 ? '' : 's'} read as stored state ${why}: ${shown}`;
}
