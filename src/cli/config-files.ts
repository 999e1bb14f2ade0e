// The CLI's files besides the input: the config file (found upward from the working directory or
// given with --config), baselines, and `init`. Problems are UsageErrors (one line, exit 2).
// Validation stays pure in engine/config.ts and engine/baseline.ts; this file reads and writes.

import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { CONFIG_FILE_NAMES, ConfigError, EMPTY_CONFIG, STARTER_CONFIG, parseConfig, type AuditConfig } from '../engine/config.ts';
import { BaselineError, createBaseline, formatBaseline, parseBaseline, type Baseline } from '../engine/baseline.ts';
import type { Report } from '../engine/types.ts';
import { readOptionFile } from '../load/files.ts';
import { UsageError, firstLine } from './io.ts';

/** The config file: --config, else the nearest .dualstack-audit.yaml from cwd up; none is fine. */
export function findConfigFile(cwd: string, explicit?: string): string | undefined {
  if (explicit !== undefined) return resolve(cwd, explicit);
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function loadConfig(cwd: string, knownRules: ReadonlySet<string>, explicit?: string): { config: AuditConfig; file?: string; shown?: string } {
  const file = findConfigFile(cwd, explicit);
  if (file === undefined) return { config: EMPTY_CONFIG };
  // The manifest reader's checks (load/files.ts): a FIFO or /dev/zero given as -c must not hang or flood the run.
  const read = readOptionFile(file);
  if ('error' in read) throw new UsageError(`cannot read config ${explicit ?? file}: ${read.error}`);
  const text = read.text;
  // Errors name the file as the user would: as given, or relative to where the search started.
  const shown = explicit ?? relative(resolve(cwd), file);
  try {
    return { config: parseConfig(text, shown, knownRules), file, shown };
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
}

export function readBaseline(cwd: string, file: string): Baseline {
  const read = readOptionFile(resolve(cwd, file));
  if ('error' in read) throw new UsageError(`cannot read baseline ${file}: ${read.error} (create it with --write-baseline ${file})`);
  const text = read.text;
  try {
    return parseBaseline(JSON.parse(text));
  } catch (e) {
    if (e instanceof BaselineError || e instanceof SyntaxError) throw new UsageError(`baseline ${file}: ${firstLine(e)}`);
    throw e;
  }
}

/** Writes the baseline of a report; returns how many findings it holds. */
export function writeBaseline(cwd: string, file: string, report: Report): { baseline: Baseline; count: number } {
  const baseline = createBaseline(report);
  try {
    writeFileSync(resolve(cwd, file), formatBaseline(baseline));
  } catch (e) {
    throw new UsageError(`cannot write baseline ${file}: ${firstLine(e)}`);
  }
  return { baseline, count: baseline.findings.reduce((a, e) => a + e.count, 0) };
}

/** `dualstack-audit init`: writes the starter config; refuses to overwrite unless forced. */
export function initConfig(cwd: string, file: string | undefined, force: boolean): string {
  const target = resolve(cwd, file ?? CONFIG_FILE_NAMES[0]);
  if (existsSync(target) && !force) throw new UsageError(`${file ?? CONFIG_FILE_NAMES[0]} already exists (use --force to overwrite it)`);
  try {
    writeFileSync(target, STARTER_CONFIG);
  } catch (e) {
    throw new UsageError(`cannot write ${file ?? CONFIG_FILE_NAMES[0]}: ${firstLine(e)}`);
  }
  return target;
}

/** Rule ids disabled and severities set by the config, for the run options. */
export function configRuleOptions(config: AuditConfig, only: readonly string[]): { disabled: string[]; severityOverrides: Record<string, NonNullable<AuditConfig['rules'][string]['severity']>> } {
  const disabled: string[] = [];
  const severityOverrides: Record<string, NonNullable<AuditConfig['rules'][string]['severity']>> = {};
  for (const [id, s] of Object.entries(config.rules)) {
    // --rule ID runs a rule even when the config turns it off.
    if (s.enabled === false && !only.includes(id)) disabled.push(id);
    if (s.severity) severityOverrides[id] = s.severity;
  }
  return { disabled, severityOverrides };
}
