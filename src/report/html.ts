// One self-contained HTML page: inline CSS, an inline SVG score gauge, a bar per phase, and a
// findings table filtered by a few lines of inline JavaScript. A Content-Security-Policy
// forbids every external request (fonts, images, scripts), so the file works offline and
// as a CI artifact. Every report string is HTML-escaped; no report data goes inside <script>.
// Pure.

import { CATEGORIES, SEVERITIES, formatRef, type Severity } from '../model/types.ts';
import { platformWhy } from './platform.ts';
import { docsUrl } from '../rules/types.ts';
import type { Finding, Report, Score } from '../engine/types.ts';
import { gateVerdict, type GateResult } from '../engine/gate.ts';
import { grade } from '../engine/score.ts';
import { PHASE_TITLES } from './markdown.ts';
import { NOT_EVALUATED_TITLE, notEvaluated, notEvaluatedLine } from './not-evaluated.ts';
import { storedLine } from './stored.ts';
import { RELATED_SHOWN, relatedShown } from './related.ts';
import { escapeOutput } from './escape.ts';

export interface HtmlOptions {
  readonly gate?: GateResult;
}

export function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
const h = htmlEscape;

const GRADE_COLOR: Readonly<Record<Score['grade'], string>> = {
  A: '#1a7f37', B: '#4c9a2a', C: '#bf8700', D: '#d1632a', F: '#cf222e', '-': '#8c959f',
};
const SEV_COLOR: Readonly<Record<Severity, string>> = {
  critical: '#a40e26', high: '#cf222e', medium: '#bf8700', low: '#0969da', info: '#6e7781',
};

function gauge(score: number | null, g: Score['grade']): string {
  const r = 52;
  const c = 2 * Math.PI * r;
  const frac = score === null ? 0 : Math.max(0, Math.min(100, score)) / 100;
  return `<svg class="gauge" viewBox="0 0 128 128" width="128" height="128" role="img" aria-label="score ${score ?? 'none'}, grade ${g}">
<circle cx="64" cy="64" r="${r}" fill="none" stroke="#eaeef2" stroke-width="12"/>
<circle cx="64" cy="64" r="${r}" fill="none" stroke="${GRADE_COLOR[g]}" stroke-width="12" stroke-linecap="round"
 stroke-dasharray="${(c * frac).toFixed(2)} ${c.toFixed(2)}" transform="rotate(-90 64 64)"/>
<text x="64" y="62" text-anchor="middle" font-size="30" font-weight="700" fill="${GRADE_COLOR[g]}">${h(g)}</text>
<text x="64" y="86" text-anchor="middle" font-size="15" fill="#57606a">${score === null ? '-' : score.toFixed(1)}</text>
</svg>`;
}

function phaseBars(report: Report): string {
  const rows: string[] = [];
  for (const c of CATEGORIES) {
    const cs = report.score.categories[c];
    const sup = report.evaluations.filter((e) => e.category === c).reduce((a, e) => a + (e.suppressed ?? 0), 0);
    if (cs.passed + cs.failed + cs.notEvaluated + sup === 0) {
      rows.push(`<div class="phase none"><span class="pname">${h(PHASE_TITLES[c])}</span><span class="bar"></span><span class="pscore">not evaluated</span></div>`);
      continue;
    }
    const g = grade(cs.score);
    const w = cs.score === null ? 0 : cs.score;
    rows.push(`<div class="phase" data-phase="${c}"><span class="pname">${h(PHASE_TITLES[c])}</span>` +
      `<span class="bar" title="${cs.passed} passed, ${cs.failed} failed${sup ? `, ${sup} suppressed` : ''}"><span style="width:${w}%;background:${GRADE_COLOR[g]}"></span></span>` +
      `<span class="pscore">${cs.score === null ? '-' : cs.score.toFixed(1)} ${h(g)} · ${cs.failed} failed of ${cs.passed + cs.failed}</span></div>`);
  }
  return rows.join('\n');
}

function row(f: Finding): string {
  const loc = !f.location ? ''
    : f.location.rendered ? `${f.location.file} (rendered ${f.location.rendered.file}:${f.location.rendered.line})`
    : `${f.location.file}:${f.location.line}:${f.location.column}`;
  const sup = f.suppressed ? `<div class="sup">suppressed by ${h(f.suppressed.by)}${f.suppressed.reason ? `: ${h(f.suppressed.reason)}` : ''}</div>` : '';
  const fix = f.fix?.summary ? `<div class="fix">Fix: ${h(f.fix.summary)}</div>` : '';
  const { shown, more } = relatedShown(f, RELATED_SHOWN);
  const also = shown.map((r) => `<div class="fix">Also ${h(r.ruleId)}${r.resource ? ` on ${h(formatRef(r.resource))}` : ''}: ${h(r.message)}</div>`).join('') +
    (more > 0 ? `<div class="fix">Also ${more} more consequence${more === 1 ? '' : 's'} (see the JSON report)</div>` : '');
  const text = `${f.ruleId} ${formatRef(f.resource)} ${loc} ${f.message}`.toLowerCase();
  // data-* carry the sort keys (SCRIPT): severity rank, phase order, file and line.
  return `<tr data-sev="${SEVERITIES.indexOf(f.severity)}" data-phase="${f.category}" data-pi="${CATEGORIES.indexOf(f.category)}" data-sup="${f.suppressed ? 1 : 0}" ` +
    `data-file="${h(f.location?.file ?? '')}" data-line="${f.location?.line ?? 0}" data-text="${h(text)}"${f.suppressed ? ' class="suppressed"' : ''}>` +
    `<td data-label="Severity"><span class="sev" style="background:${SEV_COLOR[f.severity]}">${f.severity}</span></td>` +
    `<td data-label="Phase">${h(PHASE_TITLES[f.category])}</td>` +
    `<td data-label="Rule"><a href="${h(docsUrl(f.ruleId))}" rel="noreferrer">${h(f.ruleId)}</a></td>` +
    `<td data-label="Resource">${h(formatRef(f.resource))}</td>` +
    `<td data-label="Location" class="loc">${h(loc)}</td>` +
    `<td data-label="Message">${h(f.message)}${fix}${also}${sup}</td></tr>`;
}

/** The table's first order: most severe first, then the report's order (phase, file, line). */
export function htmlRowOrder(findings: readonly Finding[]): Finding[] {
  return findings.map((f, i) => [f, i] as const)
    .sort(([a, i], [b, j]) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || i - j)
    .map(([f]) => f);
}

/** Sortable columns: the header's data-key and how SCRIPT compares two rows by it. */
const COLUMNS: readonly { label: string; key: string }[] = [
  { label: 'Severity', key: 'sev' }, { label: 'Phase', key: 'pi' }, { label: 'Rule', key: 'rule' },
  { label: 'Resource', key: 'res' }, { label: 'Location', key: 'loc' }, { label: 'Message', key: 'msg' },
];

const SCRIPT = `
(function () {
  var q = document.getElementById('q'), sev = document.getElementById('sev'), phase = document.getElementById('phase'),
      sup = document.getElementById('showsup'), count = document.getElementById('count');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr'));
  function apply() {
    var text = q.value.trim().toLowerCase(), max = Number(sev.value), ph = phase.value, shown = 0;
    rows.forEach(function (r) {
      var ok = Number(r.dataset.sev) <= max && (ph === '' || r.dataset.phase === ph) &&
        (sup.checked || r.dataset.sup === '0') && (text === '' || r.dataset.text.indexOf(text) >= 0);
      r.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + ' of ' + rows.length + ' findings shown';
  }
  [q, sev, phase, sup].forEach(function (el) { el.addEventListener('input', apply); el.addEventListener('change', apply); });
  apply();
  // Sorting: a header's button sorts by its column, again to reverse; ties keep the first order.
  var tbody = document.querySelector('#findings tbody');
  rows.forEach(function (r, i) { r.dataset.i = String(i); });
  function key(r, k) {
    var c = r.cells;
    if (k === 'sev' || k === 'pi') return [Number(r.dataset[k])];
    if (k === 'rule') return [c[2].textContent];
    if (k === 'res') return [c[3].textContent];
    if (k === 'loc') return [r.dataset.file, Number(r.dataset.line)];
    return [c[5].textContent];
  }
  function cmp(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return 0;
  }
  var ths = Array.prototype.slice.call(document.querySelectorAll('#findings th[data-key]'));
  ths.forEach(function (th) {
    th.querySelector('button').addEventListener('click', function () {
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1, k = th.dataset.key;
      ths.forEach(function (o) { o.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      rows.slice().sort(function (a, b) {
        return dir * cmp(key(a, k), key(b, k)) || Number(a.dataset.i) - Number(b.dataset.i);
      }).forEach(function (r) { tbody.appendChild(r); });
    });
  });
})();
`;

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px}
.top{display:flex;gap:24px;align-items:center;flex-wrap:wrap}
.meta{color:#57606a}.gate-pass{color:#1a7f37;font-weight:600}.gate-fail{color:#cf222e;font-weight:600}
.phase{display:grid;grid-template-columns:140px 1fr 220px;gap:12px;align-items:center;margin:6px 0}
.phase .bar{height:12px;background:#eaeef2;border-radius:6px;overflow:hidden;display:block}
.phase .bar span{display:block;height:100%}.phase.none{color:#8c959f}
.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:center;margin-bottom:8px}
input[type=search]{min-width:260px;padding:4px 8px}
table{border-collapse:collapse;width:100%;background:#fff;table-layout:fixed}
th,td{border-bottom:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f6f8fa;position:sticky;top:0}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit;text-align:left}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
col.c-sev{width:86px}col.c-phase{width:110px}col.c-rule{width:19%}col.c-res{width:17%}col.c-loc{width:15%}
@media (max-width:760px){
main{padding:12px}
.phase{grid-template-columns:110px 1fr}.phase .pscore{grid-column:1/-1}
input[type=search]{min-width:0;width:100%}
#findings,#findings tbody,#findings tr,#findings td{display:block;width:auto}
#findings thead,#findings colgroup{display:none}
#findings tr{border:1px solid #d0d7de;border-radius:6px;margin:0 0 8px;padding:4px 0}
#findings td{border:0;padding:2px 8px}
#findings td::before{content:attr(data-label) ": ";color:#57606a;font-size:12px}
}
.sev{color:#fff;border-radius:10px;padding:1px 8px;font-size:12px}
.loc{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
.fix{color:#57606a;margin-top:4px}.sup{color:#8250df;margin-top:4px}
tr.suppressed td{opacity:.6}
ul.plain{margin:0;padding-left:20px}
`;

/** The HTML report; values cannot make a workflow command when it is printed to a CI log (report/escape.ts). */
export const formatHtml = (report: Report, opts: HtmlOptions = {}): string => escapeOutput(formatHtmlRaw(report, opts));

function formatHtmlRaw(report: Report, opts: HtmlOptions): string {
  const sc = report.score;
  const active = report.findings.filter((f) => !f.suppressed);
  const t = report.target;
  const counts = SEVERITIES.map((s) => [s, active.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const verdict = opts.gate ? gateVerdict(opts.gate) : undefined;
  const gate = verdict ? `<span class="${verdict.status === 'passed' ? 'gate-pass' : 'gate-fail'}">${h(verdict.text)}</span>` : '';
  const problems = report.problems.length > 0
    ? `<h2>Input problems (${report.problems.length})</h2><div class="card"><ul class="plain">${report.problems.map((p) =>
      `<li>${p.fatal ? '<strong>error</strong>' : 'warning'} <span class="loc">${h(p.file ? `${p.file}${p.line ? `:${p.line}` : ''}` : '')}</span> ${h(p.message)}</li>`).join('')}</ul></div>`
    : '';
  const unused = report.unusedSuppressions ?? [];
  const unusedHtml = unused.length > 0
    ? `<h2>Unused suppressions (${unused.length})</h2><div class="card"><ul class="plain">${unused.map((u) =>
      `<li><span class="loc">${h(u.location ? `${u.location.file}:${u.location.line}` : '')}</span> ${h(u.message)}</li>`).join('')}</ul></div>`
    : '';
  const ne = notEvaluated(report);
  const neHtml = ne.length > 0
    ? `<h2 id="not-evaluated">Not evaluated (${ne.length})</h2><div class="card"><div class="meta">${h(NOT_EVALUATED_TITLE)}.</div><ul class="plain">${ne.map((n) =>
      `<li>${h(notEvaluatedLine(n))}${n.rbac ? `<div class="fix">grant: <span class="loc">${h(n.rbac)}</span></div>` : ''}` +
      `${n.rules.length > 0 ? `<div class="meta">rules: ${h(n.rules.join(', '))}</div>` : ''}</li>`).join('')}</ul></div>\n`
    : '';
  const phaseOptions = CATEGORIES.map((c) => `<option value="${c}">${h(PHASE_TITLES[c])}</option>`).join('');
  const sevOptions = SEVERITIES.map((s, i) => `<option value="${i}"${s === 'info' ? ' selected' : ''}>${s}${s === 'info' ? ' (all)' : ' and above'}</option>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<title>Dual-stack readiness: ${sc.overall === null ? '-' : sc.overall.toFixed(1)} (${h(sc.grade)})</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<div class="card top">
${gauge(sc.overall, sc.grade)}
<div>
<h1>Dual-stack readiness</h1>
<div>${active.length} finding${active.length === 1 ? '' : 's'}${counts.length ? ` (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}${report.findings.length > active.length ? `, ${report.findings.length - active.length} suppressed` : ''}</div>
${sc.cappedBy ? `<div class="meta">Grade capped: ${h(sc.cappedBy)}.</div>` : ''}
${sc.coverage ? `<div class="meta">Score ${h(sc.coverage.text)}.</div>` : ''}
<div class="meta">Target cluster families ${h(t.clusterFamilies.join(', '))} (${h(t.familiesFrom)}) · ${t.mode === 'cluster' ? `cluster ${h(t.context ?? '')}` : `${report.stats.files} files, ${report.stats.resources} resources`} · ${h(report.tool.name)} ${h(report.tool.version)}</div>
${t.platform ? `<div class="meta">Platform ${h(t.platform.name)} (${h(platformWhy(t.platform))})</div>` : ''}
${storedLine(report) ? `<div class="meta" id="stored">Stored state: ${h(storedLine(report)!)}</div>` : ''}
<div>${gate}</div>
</div>
</div>
${neHtml}<h2>Phases</h2>
<div class="card" id="phases">
${phaseBars(report)}
<div class="meta">Score = 100 × weight of passed evaluations ÷ weight of all (critical 10, high 5, medium 3, low 1; info is not scored). Suppressed findings are out of the gate; they weigh in the score without passing.</div>
</div>
<h2>Findings</h2>
<div class="filters">
<input type="search" id="q" placeholder="Filter: rule, resource, file, message" aria-label="filter">
<label>Severity <select id="sev">${sevOptions}</select></label>
<label>Phase <select id="phase"><option value="">all</option>${phaseOptions}</select></label>
<label><input type="checkbox" id="showsup"> show suppressed</label>
<span id="count" class="meta"></span>
</div>
<table id="findings">
<colgroup><col class="c-sev"><col class="c-phase"><col class="c-rule"><col class="c-res"><col class="c-loc"><col></colgroup>
<thead><tr>${COLUMNS.map((c) => `<th data-key="${c.key}" aria-sort="none"><button type="button">${c.label}</button></th>`).join('')}</tr></thead>
<tbody>
${htmlRowOrder(report.findings).map(row).join('\n')}
</tbody>
</table>
${problems}
${unusedHtml}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
