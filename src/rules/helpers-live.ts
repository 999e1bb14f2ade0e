// Helpers of the live-only rules: the facts they read are in model/live.ts (re-exported here). Pure.

export { clusterIsDual, liveRead, missingOf, wantedFamilies } from '../model/live.ts';
