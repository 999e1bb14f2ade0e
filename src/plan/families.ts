// The Service families of the cluster a plan runs against: the model's one inference
// (model/families.ts) over the stored objects the plan read. A plan predicts exact outcomes, so
// undetermined families (the evidence disagrees) are returned as such and the CLI asks for
// --cluster-families rather than guessing.

import type { Family, InputDocument } from '../model/types.ts';
import { inferFamiliesOfDocs } from '../model/families.ts';

export interface FamiliesDecision {
  readonly families: readonly Family[];
  readonly from: 'flag' | 'inferred' | 'undetermined';
  /** How they were found, one line each. */
  readonly evidence: readonly string[];
  /** undetermined: the family lists the evidence allows. */
  readonly candidates?: readonly (readonly Family[])[];
}

/** Infer the Service families from stored objects; undefined when nothing tells. */
export function inferServiceFamilies(stored: readonly InputDocument[]): FamiliesDecision | undefined {
  const inf = inferFamiliesOfDocs(stored, { stored: true });
  if (inf.from === 'default') return undefined;
  return { families: inf.families, from: inf.from, evidence: inf.evidence, ...(inf.candidates ? { candidates: inf.candidates } : {}) };
}
