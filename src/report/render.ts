// Format selection: one Report, one format name, one string. The CLI picks the format and writes
// the string; the text report's colour and tables are passed in (the CLI loads chalk and
// cli-table3 only when it needs them).

import type { GateResult } from '../engine/gate.ts';
import type { Report } from '../engine/types.ts';
import { formatHtml } from './html.ts';
import { formatJson } from './json.ts';
import { formatJunit } from './junit.ts';
import { formatMarkdown } from './markdown.ts';
import { formatSarif, type SarifOptions } from './sarif.ts';
import { formatText, type Style, type TableRenderer } from './text.ts';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export const isFormat = (s: string): s is Format => (FORMATS as readonly string[]).includes(s);

export interface RenderOptions {
  readonly gate?: GateResult;
  /** Text: colour and table renderer (default plain). */
  readonly style?: Style;
  readonly table?: TableRenderer;
  /** Text: only the score table and the gate. */
  readonly quiet?: boolean;
  /** Text: fixes and every name without AAAA. */
  readonly verbose?: boolean;
  /** SARIF: the fixes' replacements in their files (fixes[]). */
  readonly sarif?: SarifOptions;
}

export function render(report: Report, format: Format, opts: RenderOptions = {}): string {
  switch (format) {
    case 'text': return formatText(report, {
      ...(opts.style ? { style: opts.style } : {}), ...(opts.table ? { table: opts.table } : {}), ...(opts.gate ? { gate: opts.gate } : {}),
      quiet: Boolean(opts.quiet), verbose: Boolean(opts.verbose),
    });
    case 'json': return formatJson(report);
    case 'sarif': return formatSarif(report, opts.sarif);
    case 'junit': return formatJunit(report);
    case 'markdown': return formatMarkdown(report, opts.gate ? { gate: opts.gate } : {});
    case 'html': return formatHtml(report, opts.gate ? { gate: opts.gate } : {});
  }
}
