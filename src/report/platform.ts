// The platform line every human-readable format shows under the target families: gke or generic,
// and why (--platform, the config file, inferred from GKE evidence in the input, or the default).
import type { Report } from '../engine/types.ts';

type Platform = NonNullable<Report['target']['platform']>;

/** Why the report judged this platform, as a parenthesis-free phrase. */
export function platformWhy(p: Platform): string {
  if (p.from === 'flag') return 'from --platform';
  if (p.from === 'config') return 'from the config file';
  if (p.from === 'inferred') return `inferred from ${(p.evidence ?? []).join('; ')}`;
  return 'default: no --platform and no GKE evidence in the input';
}
