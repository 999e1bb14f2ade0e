// Helpers shared by the coredns-* rules. Pure.

import type { RuleReport, Target } from './types.ts';
import type { Severity } from '../model/types.ts';
import type { Model } from '../model/build.ts';
import { JUDGED_ROLES, type CorefileSource } from '../model/dns.ts';
import type { ServerBlock } from '../emulate/corefile.ts';

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

/** Human-readable key list of a server block, e.g. ".:53". */
export const blockName = (b: ServerBlock): string => b.keys.map((k) => k.raw).join(' ');

export { blockZones, clusterZonesIn, walk, zonesOverlap } from '../model/dns.ts';
