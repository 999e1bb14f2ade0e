// Helpers shared by the coredns-* rules. Pure.

import type { RuleReport, Target } from './types.ts';
import type { Severity } from '../model/types.ts';
import type { Model } from '../model/build.ts';
import { JUDGED_ROLES, type CorefileSource } from '../model/dns.ts';
import { zoneCovers, type CorefileDirective, type ServerBlock } from '../emulate/corefile.ts';

export interface CorefileTarget extends Target {
  readonly cf: CorefileSource;
}

/** One evaluation per Corefile of the cluster DNS, node-local-dns or a Corefile file. */
export function* corefileTargets(model: Model, severity?: Severity): Generator<CorefileTarget> {
  for (const cf of model.corefiles) {
    if (!JUDGED_ROLES.includes(cf.role)) continue;
    yield {
      ref: cf.ref, annotations: cf.annotations, cf,
      ...(cf.source ? { source: cf.source } : {}),
      ...(severity ? { severity } : {}),
    };
  }
}

/** A finding at a line of the Corefile. */
export const at = (cf: CorefileSource, line: number, messageId: string, data: Record<string, string | number>, severity?: Severity): RuleReport => ({
  messageId, data, path: cf.path, textLine: line, ...(severity ? { severity } : {}),
});

/** One zone is inside the other (a template for `.` covers cluster.local; one for svc.cluster.local is inside it). */
export const zonesOverlap = (a: string, b: string): boolean => zoneCovers(a, b) || zoneCovers(b, a);

/** The cluster domain zones a list of zones touches. */
export const clusterZonesIn = (zones: readonly string[], domains: readonly string[]): string[] =>
  domains.filter((d) => zones.some((z) => zonesOverlap(z, d)));

/** Zones a server block serves (placeholders left out: unknown). */
export const blockZones = (b: ServerBlock): string[] => b.keys.filter((k) => !k.placeholder).map((k) => k.zone);

/** Human-readable key list of a server block, e.g. ".:53". */
export const blockName = (b: ServerBlock): string => b.keys.map((k) => k.raw).join(' ');

/** Every directive, nested ones included, with the top-level directive it belongs to. */
export function* walk(ds: readonly CorefileDirective[]): Generator<CorefileDirective> {
  for (const d of ds) {
    yield d;
    if (d.block) yield* walk(d.block);
  }
}
