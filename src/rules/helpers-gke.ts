// Helpers of the GKE frontend and Cloud Armor rules (model/gke.ts). Pure.

// The domain facts (onGke, isInternal, finalizersOf in model/gke.ts; wantsIPv6 in model/services.ts)
// are re-exported for the rules that import them from here.
export { finalizersOf, internalAnnotation, isInternal, onGke } from '../model/gke.ts';
export { wantsIPv6 } from '../model/services.ts';

export const annotationPath = (key: string): readonly string[] => ['metadata', 'annotations', key];
