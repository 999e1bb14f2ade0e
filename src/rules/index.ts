// The rule registry, sorted by id. test/rules-meta.test.ts checks it against the folder.
import type { Rule } from './types.ts';
import dnsAaaaCoverage from './dns-aaaa-coverage.ts';
import serviceExternalIpsFamily from './service-external-ips-family.ts';
import serviceHardcodedClusterIp from './service-hardcoded-cluster-ip.ts';
import serviceIpConfigRejected from './service-ip-config-rejected.ts';
import serviceLbSourceRangesSingleFamily from './service-lb-source-ranges-single-family.ts';
import serviceLoadBalancerIpDeprecated from './service-load-balancer-ip-deprecated.ts';
import serviceSingleStack from './service-single-stack.ts';

export const RULES: readonly Rule[] = [
  dnsAaaaCoverage,
  serviceExternalIpsFamily,
  serviceHardcodedClusterIp,
  serviceIpConfigRejected,
  serviceLbSourceRangesSingleFamily,
  serviceLoadBalancerIpDeprecated,
  serviceSingleStack,
];
