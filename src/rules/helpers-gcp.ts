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

// ---- Documentation examples (Config Connector YAML), shared by the GCP layer rules ----------

const yamlLines = (fields: Readonly<Record<string, string | undefined>>, indent = '  '): string[] =>
  Object.entries(fields).flatMap(([k, v]) => (v === undefined ? [] : [`${indent}${k}: ${v}`]));

/** A ContainerCluster; `spec` lines are added after location, `ipAllocationPolicy` holds the stack type. */
export function kccClusterExample(o: { stackType?: string; datapath?: string; subnet?: string; vpcNative?: boolean; extra?: string } = {}): string {
  return [
    'apiVersion: container.cnrm.cloud.google.com/v1beta1', 'kind: ContainerCluster', 'metadata:', '  name: shop', 'spec:', '  location: europe-west1',
    ...yamlLines({ networkingMode: o.vpcNative === false ? 'ROUTES' : o.vpcNative ? 'VPC_NATIVE' : undefined, datapathProvider: o.datapath, subnetworkRef: o.subnet ? `{name: ${o.subnet}}` : undefined }),
    '  ipAllocationPolicy:', `    stackType: ${o.stackType ?? 'IPV4_IPV6'}`,
    ...(o.extra ? o.extra.split('\n') : []),
  ].join('\n');
}

/** A ComputeSubnetwork in europe-west1 on shop-vpc. */
export function kccSubnetExample(o: { name?: string; cidr?: string; stackType?: string; access?: string } = {}): string {
  return [
    'apiVersion: compute.cnrm.cloud.google.com/v1beta1', 'kind: ComputeSubnetwork', 'metadata:', `  name: ${o.name ?? 'shop-nodes'}`, 'spec:',
    '  region: europe-west1', `  ipCidrRange: ${o.cidr ?? '10.0.0.0/20'}`, '  networkRef: {name: shop-vpc}',
    ...yamlLines({ stackType: o.stackType, ipv6AccessType: o.access }),
  ].join('\n');
}

/** A dual-stack LoadBalancer Service with the given annotations. */
export function lbServiceExample(name: string, annotations: Readonly<Record<string, string>>): string {
  return [
    'apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${name}`, '  annotations:',
    ...Object.entries(annotations).map(([k, v]) => `    ${k}: ${v}`),
    'spec:', '  type: LoadBalancer', '  ipFamilyPolicy: RequireDualStack', '  ipFamilies: [IPv4, IPv6]', `  selector: {app: ${name}}`, '  ports: [{port: 443}]',
  ].join('\n');
}
