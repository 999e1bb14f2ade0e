// Helpers of the Hubble rules: Cilium's dual-stack state and Hubble FlowFilter JSON are model facts
// (model/observability.ts), re-exported here. Pure.

export { ciliumDualStack, parseFlowFilters } from '../model/observability.ts';
