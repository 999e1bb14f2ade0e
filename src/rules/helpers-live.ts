// Helpers of the live-only rules (model/live.ts facts). Pure.

import { FAMILIES, otherFamily, type Family } from '../model/types.ts';
import type { Model } from '../model/build.ts';

/** The families a dual-stack cluster needs, primary first: the cluster's if dual, else the pod network's, else the migration target. */
export function wantedFamilies(model: Model): readonly Family[] {
  const svc = model.clusterFamilies.families;
  if (svc.length === 2) return svc;
  const pods = model.live?.podFamilies ?? [];
  if (pods.length === 2) return pods;
  const primary = pods[0] ?? svc[0] ?? 'IPv4';
  return [primary, otherFamily(primary)];
}

/** The cluster is dual-stack already (Service families, or nodes and pods of both families). */
export const clusterIsDual = (model: Model): boolean =>
  model.clusterFamilies.families.length === 2 || (model.live?.podFamilies.length ?? 0) === 2;

export const missingOf = (have: readonly Family[], want: readonly Family[]): Family[] =>
  FAMILIES.filter((f) => want.includes(f) && !have.includes(f));

/** Live facts are present and `kind` was read. */
export const liveRead = (model: Model, kind: string): boolean =>
  model.live !== undefined && !model.live.notRead.includes(kind);
