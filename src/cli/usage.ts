// Usage help that points the way (issue 19): the kubectl plugin's name in help, option values
// accepted in any case, "did you mean" for rule ids and subcommands, and a note when stdin was
// piped but no path given (which audits the kube context, not stdin). Used by cli.ts.

import { fstatSync } from 'node:fs';
import { basename } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { suggestion } from '../engine/suggest.ts';

/** `kubectl dualstack-audit` when run as the kubectl plugin (kubectl execs kubectl-dualstack_audit). */
export function programName(argv: readonly string[]): string {
  return /^kubectl-dualstack_audit(\.js)?$/.test(basename(argv[1] ?? '')) ? 'kubectl dualstack-audit' : 'dualstack-audit';
}

/** A commander argument parser: one of `choices`, in any case (`-f JSON`). */
export function anyCase<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    const v = value.toLowerCase() as T;
    if (!choices.includes(v)) throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.${suggestion(value, choices)}`);
    return v;
  };
}

/** The message for an unknown rule id, with the nearest known one. */
export function unknownRuleMessage(flag: string, id: string, known: Iterable<string>): string {
  return `${flag}unknown rule "${id}"${suggestion(id, known)} (see \`dualstack-audit rules\`)`;
}

/** When the only "path" given looks like a mistyped subcommand: ` (did you mean the explain command?)`. */
export function commandHint(paths: readonly string[], commands: readonly string[]): string {
  if (paths.length !== 1 || /[./\\]/.test(paths[0]!)) return '';
  const s = suggestion(paths[0]!, commands);
  return s === '' ? '' : s.replace(/\?\)$/, ' (a command)?)');
}

/** stdin is a pipe or a file (`cat x.yaml | dualstack-audit`), not a terminal or /dev/null. */
export function stdinIsPiped(): boolean {
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isFile();
  } catch {
    return false;
  }
}

export const STDIN_NOTE = 'note: stdin is piped but no path was given, so this audits the current kube context; ' +
  'to audit what you piped in, pass - (cat x.yaml | dualstack-audit -)';
