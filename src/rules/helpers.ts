// Small helpers shared by rules. Pure.

import type { Family } from '../model/types.ts';
import type { Service } from '../model/services.ts';
import type { Target } from './types.ts';

export interface ServiceTarget extends Target {
  readonly svc: Service;
}

export const serviceTarget = (svc: Service, severity?: Target['severity']): ServiceTarget => ({
  ref: svc.ref,
  ...(svc.source ? { source: svc.source } : {}),
  annotations: svc.annotations,
  ...(severity ? { severity } : {}),
  svc,
});

/**
 * default/kubernetes, the apiserver's own Service: always single-stack in the primary family and
 * managed by the apiserver (SEMANTICS.md a.7), so nothing a user can change.
 */
export const isApiserverService = (svc: Service): boolean =>
  svc.ref.name === 'kubernetes' && svc.ref.namespace === 'default' && svc.selectorless && svc.type === 'ClusterIP';

export const familyList = (f: readonly string[]): string => `[${f.join(', ')}]`;

export const fqdn = (svc: Service): string => `${svc.ref.name}.${svc.ref.namespace ?? 'default'}.svc`;

export const missingFamily = (have: readonly Family[], want: readonly Family[]): Family[] =>
  want.filter((f) => !have.includes(f));
