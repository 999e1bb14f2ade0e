// Output escaping (issue 20). Names, file names, annotation values and messages come from the
// input, which a pull request's author controls; printed raw they can drive the terminal (ESC
// sequences clear the screen or set the title, BEL rings) or, in a GitHub Actions log, become a
// workflow command: a line whose text starts with `::` (`::error ...`, `::add-mask::`,
// `::stop-commands::`) is executed by the runner, so a value holding "\n::error::..." would annotate
// the run. Two defences, both pure:
// - escapeControls: in a one-line field, every C0/C1 control character, DEL, the Unicode line and
//   paragraph separators and the bidirectional overrides (Trojan Source) are shown as \n, \x1b,
//   \u202e ...; a value can then neither start a line nor move the cursor;
// - guardWorkflowCommands: a whole output whose line (after blanks) starts with `::word` gets its
//   first colon written as `\x3a`, so no line of a report is a workflow command.
// JSON and SARIF need neither: JSON.stringify escapes every control character, and each of their
// lines starts with a quote, a bracket or a brace.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\x07': '\\a', '\x08': '\\b', '\x0b': '\\v', '\x0c': '\\f' };

const hex = (c: string): string => {
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
};

/** A one-line field with its control characters made visible (tabs are kept). */
export function escapeControls(s: string): string {
  return HAS_CONTROL.test(s) ? s.replace(CONTROL, (c) => NAMED[c] ?? hex(c)) : s;
}

/**
 * A copy of a value (a report) whose every string is escapeControls'd; objects without such a
 * string are returned as they are (no copy). Multi-line texts are not in the fields the text
 * report prints, so every string is treated as one line.
 */
export function escapeDeep<T>(value: T): T {
  if (typeof value === 'string') return escapeControls(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const e = escapeDeep(v);
      if (e !== v) (out ??= value.slice())[i] = e;
    });
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const e = escapeDeep(v);
    if (e !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = e;
  }
  return (out ?? value) as T;
}

const COMMAND_LINE = /^([ \t]*):(?=:[A-Za-z][\w-]*[ :])/gm;

/** No line of `text` is a GitHub Actions workflow command (`::name ...`). */
export function guardWorkflowCommands(text: string): string {
  return text.includes('::') ? text.replace(COMMAND_LINE, '$1\\x3a') : text;
}

// eslint-disable-next-line no-control-regex
const TERMINAL = /[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A whole report of a format that prints multi-line text (Markdown, JUnit XML, HTML): control
 * characters other than line ends and tabs made visible (they are not valid XML 1.0 either),
 * and no line a workflow command. Values with line breaks keep them: those formats escape their
 * own structure, and guardWorkflowCommands handles the lines they make.
 */
export function escapeOutput(text: string): string {
  return guardWorkflowCommands(text.replace(TERMINAL, hex));
}
