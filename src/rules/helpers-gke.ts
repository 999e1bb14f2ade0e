// Helpers of the GKE frontend and Cloud Armor rules (model/gke.ts). Pure.

import type { Model } from '../model/build.ts';
import type { Service } from '../model/services.ts';
import { LB_TYPE_ANNOTATIONS, svcKey } from '../model/gke.ts';

const GKE_KEY = /(cloud\.google\.com\/|networking\.gke\.io\/)/;

/**
 * The Service is on GKE: the platform is gke (--platform, the config file, or inferred from GKE
 * evidence anywhere in the input: model/platform.ts), or its own annotations or class are GKE's.
 */
export const onGke = (svc: Service, model: Model): boolean =>
  model.platform.name === 'gke'
  || Object.keys(svc.annotations).some((k) => GKE_KEY.test(k))
  || (svc.loadBalancerClass?.startsWith('networking.gke.io/') ?? false);

/** An internal passthrough LB by annotation (the class is read separately). */
export function internalAnnotation(svc: Service): string | undefined {
  for (const k of LB_TYPE_ANNOTATIONS) {
    const v = svc.annotations[k];
    if (v !== undefined && v.toLowerCase() === 'internal') return k;
  }
  return undefined;
}

export const isInternal = (svc: Service): boolean =>
  svc.loadBalancerClass === 'networking.gke.io/l4-regional-internal' || svc.loadBalancerClass === 'networking.gke.io/l4-regional-internal-legacy'
  || (svc.loadBalancerClass === undefined && internalAnnotation(svc) !== undefined);

/** The Service will ask for an IPv6 frontend on the dual-stack target cluster. */
export const wantsIPv6 = (svc: Service): boolean =>
  (svc.effectiveWhenDual?.ipFamilies.includes('IPv6') ?? false) || (svc.effective?.ipFamilies.includes('IPv6') ?? false);

export const finalizersOf = (svc: Service, model: Model): readonly string[] =>
  model.gke.serviceFinalizers.get(svcKey(svc.ref.namespace, svc.ref.name)) ?? [];

export const annotationPath = (key: string): readonly string[] => ['metadata', 'annotations', key];
