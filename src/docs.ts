// Rule documentation rendered from metadata (pure). Used by scripts/gen-docs.ts,
// `dualstack-audit explain` and the docs test that keeps docs/rules current.

import type { RuleMeta } from './rules/types.ts';
import { CATEGORIES } from './model/types.ts';
import { ruleMode } from './model/kinds.ts';

export function ruleDoc(m: RuleMeta): string {
  const lines = [
    `<!-- Generated from the rule's metadata by scripts/gen-docs.ts (npm run gen); do not edit. -->`,
    `# ${m.id}`,
    '',
    `**${m.title}**`,
    '',
    `| category | default severity | evaluates | mode |`,
    `|---|---|---|---|`,
    `| ${m.category} | ${m.severity} | ${m.scope.join(', ')} | ${ruleMode(m)} |`,
    '',
    '## Why it matters',
    '',
    m.rationale,
    '',
    '## What to change',
    '',
    m.fix.summary,
    '',
    `${fixLine(m)}${m.docs.noFixedExample ? ` ${m.docs.noFixedExample}` : ''}`,
    '',
    '## Messages',
    '',
    ...Object.entries(m.messages).map(([id, t]) => `- \`${id}\`: ${t}${m.fix.byMessage?.[id] ? ` (fix: ${m.fix.byMessage[id]})` : ''}`),
    '',
    '## Example: reported',
    '',
    '```yaml',
    m.docs.bad.trimEnd(),
    '```',
    '',
    '## Example: passes',
    '',
    '```yaml',
    m.docs.good.trimEnd(),
    '```',
    '',
    ...(m.docs.fixed ? ['## Example: fixed by the JSON Patch of the finding', '', '```yaml', m.docs.fixed.trimEnd(), '```', ''] : []),
    ...(m.docs.resolved ? ['The examples are judged with these `--resolve` answers:', '', ...Object.entries(m.docs.resolved).map(([n, a]) => `- \`${n}\`: A ${a.A.join(', ') || 'none'}; AAAA ${a.AAAA.join(', ') || 'none'}`), ''] : []),
  ];
  if (m.docs.notes) lines.push('## Notes', '', m.docs.notes, '');
  if (m.foldsInto && m.foldsInto.length > 0) {
    const link = (f: NonNullable<RuleMeta['foldsInto']>[number]): string => `[${f.rule}](${f.rule}.md)${f.samePath ? ' (on the same field)' : ''}`;
    const same = m.foldsInto.filter((f) => !f.onCause).map(link).join(', ');
    const cause = m.foldsInto.filter((f) => f.onCause).map(link).join(', ');
    const then = 'it states the cause of this rule\'s finding: this finding is then listed under that one (`related`, with its own resource), and this rule\'s evaluation still fails.';
    lines.push('## One root cause, one finding', '');
    if (same) lines.push(`When ${same} reports the same resource, ${then.replace(', with its own resource', '')}`, '');
    if (cause) lines.push(`When ${cause} reports the resource a controller writes this one from (the finding's message names it), ${then}`, '');
  }
  lines.push('## References', '', ...m.references.map((r) => `- ${r}`), '');
  return lines.join('\n');
}

/** What `dualstack-audit fix` does with the rule's findings (RuleMeta.fixable, needsValue). */
export function fixLine(m: RuleMeta): string {
  const what = m.fixable === 'fix' ? 'applies a fix to the findings that carry one'
    : m.fixable === 'suggestion' ? 'applies the suggested change only with `--suggestions`'
      : m.fixable === 'both' ? 'applies the findings\' fixes; the other findings carry a suggestion, applied only with `--suggestions`'
        : 'changes nothing: the change is made by hand';
  return `\`dualstack-audit fix\` ${what}${m.needsValue ? ` (${m.fixable ? 'some findings need' : 'it needs'} a value only a person knows, such as the IPv6 ranges)` : ''}.`;
}

export function rulesIndexDoc(metas: readonly RuleMeta[]): string {
  const lines = [
    '<!-- Generated from rule metadata by scripts/gen-docs.ts (npm run gen); do not edit. -->',
    '# Rules',
    '',
    'Rule ids are stable: they appear in configuration files, suppression annotations and baselines.',
    'Severities: critical (the apiserver rejects it or a component will not start), high (one family\'s traffic breaks or is exposed), medium (degraded or likely wrong), low (hygiene), info (context, not scored).',
    '',
  ];
  for (const c of CATEGORIES) {
    const rs = metas.filter((m) => m.category === c);
    if (rs.length === 0) continue;
    lines.push(`## ${c}`, '', '| rule | severity | title |', '|---|---|---|');
    for (const m of rs) lines.push(`| [${m.id}](rules/${m.id}.md) | ${m.severity} | ${m.title}${m.liveOnly ? ' (live)' : ''}${m.fixable ? ` (${m.fixable === 'both' ? 'fix, suggestion' : m.fixable})` : ''} |`);
    lines.push('');
  }
  return lines.join('\n');
}
