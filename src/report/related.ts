// Which folded consequences (Finding.related, engine/fold.ts) the text, Markdown and HTML reports list under a finding.
// The finding's own rule repeated on other resources (one cause on many Nodes: sameCause) is
// counted in the finding's message, and a report lists the other rules' findings up to a bound:
// one "Also" line per Node made a single Markdown item larger than a PR comment holds.

import type { Finding, RelatedFinding } from '../engine/types.ts';

/** The consequences of other rules to list (at most `max`) and how many more there are. */
export function relatedShown(f: Finding, max: number): { readonly shown: readonly RelatedFinding[]; readonly more: number } {
  const others = (f.related ?? []).filter((r) => r.ruleId !== f.ruleId);
  return { shown: others.slice(0, max), more: Math.max(0, others.length - max) };
}

/** Related findings listed under one finding in the Markdown and HTML reports. */
export const RELATED_SHOWN = 5;
