// Helpers of the GCP network layer rules (model/gcp.ts). Pure.

import type { Target } from './types.ts';
import type { GcpForm, GcpObject } from '../model/gcp.ts';

export interface GcpTarget<T extends GcpObject = GcpObject> extends Target {
  readonly obj: T;
}

export const gcpTarget = <T extends GcpObject>(obj: T, severity?: Target['severity']): GcpTarget<T> => ({
  ref: obj.ref,
  ...(obj.source ? { source: obj.source } : {}),
  annotations: obj.annotations,
  ...(severity ? { severity } : {}),
  obj,
});

/** How each form spells a field, for messages: [Config Connector, gcloud, Terraform]. */
const FIELD_NAMES: Readonly<Record<string, readonly [string, string, string]>> = {
  clusterStackType: ['spec.ipAllocationPolicy.stackType', 'ipAllocationPolicy.stackType (gcloud container clusters update --stack-type ipv4-ipv6)', 'ip_allocation_policy.stack_type'],
  datapath: ['spec.datapathProvider', 'networkConfig.datapathProvider (--enable-dataplane-v2 at creation)', 'datapath_provider'],
  subnetStackType: ['spec.stackType', 'stackType (gcloud compute networks subnets update --stack-type IPV4_IPV6)', 'stack_type'],
  ipv6AccessType: ['spec.ipv6AccessType', 'ipv6AccessType', 'ipv6_access_type'],
  ula: ['spec.enableUlaInternalIpv6', 'enableUlaInternalIpv6 (gcloud compute networks update --enable-ula-internal-ipv6)', 'enable_ula_internal_ipv6'],
  metrics: ['spec.monitoringConfig.advancedDatapathObservabilityConfig[0].enableMetrics', 'monitoringConfig.advancedDatapathObservabilityConfig.enableMetrics (gcloud container clusters update --enable-dataplane-v2-metrics)', 'monitoring_config.advanced_datapath_observability_config.enable_metrics'],
  relay: ['relayMode', 'enableRelay (--enable-dataplane-v2-flow-observability)', 'enable_relay'],
};

/** The name of a field in the object's own form. */
export function fieldName(form: GcpForm, field: keyof typeof FIELD_NAMES): string {
  const n = FIELD_NAMES[field]!;
  return form === 'kcc' ? n[0] : form === 'gcloud' ? n[1] : n[2];
}
