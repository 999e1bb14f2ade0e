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

export { isApiserverService } from '../model/services.ts';

export const familyList = (f: readonly string[]): string => `[${f.join(', ')}]`;

export const fqdn = (svc: Service): string => `${svc.ref.name}.${svc.ref.namespace ?? 'default'}.svc`;

export const missingFamily = (have: readonly Family[], want: readonly Family[]): Family[] =>
  want.filter((f) => !have.includes(f));
