import { defineRule, type RuleReport, type Target } from './types.ts';
import type { MultiClusterIngress } from '../model/gke-mci.ts';

interface MciTarget extends Target {
  readonly mci: MultiClusterIngress;
  /** MultiClusterIngresses of the same namespace and routes whose address (static or status.VIP) is IPv6. */
  readonly v6Twins: readonly MultiClusterIngress[];
}

const isV6 = (m: MultiClusterIngress): boolean => m.staticIP?.family === 'IPv6' || m.vip?.family === 'IPv6';

export default defineRule<MciTarget>({
  meta: {
    id: 'gke-mci-ipv4-only-frontend',
    title: 'GKE MultiClusterIngress with an IPv4 frontend only',
    category: 'services',
    severity: 'medium',
    scope: ['MultiClusterIngress'],
    needsValue: true,
    rationale:
      'Multi Cluster Ingress programs one global external Application Load Balancer per MultiClusterIngress, with one frontend address: the address named by its networking.gke.io/static-ip annotation, ' +
      'or, without the annotation, an ephemeral address the controller picks, which is IPv4 (the forwarding-rule default, as for a GKE Ingress). ' +
      'IPv6-only clients cannot reach an IPv4 frontend except through NAT64, and an ephemeral address also changes when the MultiClusterIngress is recreated, which breaks the DNS records that point at it. ' +
      'Whether Multi Cluster Ingress accepts a reserved IPv6 address in static-ip is not stated in Google\'s Multi Cluster Ingress pages (verify); the load balancer type itself takes IPv6 frontends.',
    docs: {
      noFixedExample: 'The fix reserves a global address in Google Cloud (its IP goes into the annotation), which a patch cannot do.',
      notes: 'No static-ip annotation: medium (ephemeral IPv4 frontend). A static-ip that is an IPv4 address, or a status.VIP that is IPv4 (live): medium. A static-ip that is not an address (a placeholder such as x.x.x.x or ${GCLB_IP}): low, to verify. ' +
        'Passes when the address is IPv6, or when another MultiClusterIngress of the same namespace with the same rules, default backend and TLS has an IPv6 address (the twin pattern of GKE Ingress; verify that Multi Cluster Ingress accepts it). ' +
        'Live: MultiClusterIngress is a custom resource of the config cluster, read when the cluster read lists it. ' +
        'Sources: Google Cloud "Deploying Ingress across clusters" (static IP addresses), GoogleCloudPlatform/gke-networking-recipes ingress/multi-cluster/mci-frontend-config (static-ip takes the reserved IP address; status.VIP), Application Load Balancer overview (IPv6 frontends).',
    },
    fix: {
      summary: 'Reserve a global static address (gcloud compute addresses create NAME --global) and put its IP in networking.gke.io/static-ip; for IPv6 clients reserve a global IPv6 address (--ip-version IPV6) for a twin MultiClusterIngress with the same rules (verify that Multi Cluster Ingress accepts it), or move to a multi-cluster Gateway with an IPv6 address.',
    },
    messages: {
      ephemeral: 'MultiClusterIngress has no networking.gke.io/static-ip, so its load balancer gets one ephemeral IPv4 address: no IPv6 frontend, and the address changes if the object is recreated',
      staticV4: 'MultiClusterIngress names the IPv4 address {ip} in networking.gke.io/static-ip and no twin has an IPv6 address, so IPv6 clients cannot reach it',
      vipV4: 'MultiClusterIngress serves on the IPv4 address {ip} (status.VIP) and no twin has an IPv6 address, so IPv6 clients cannot reach it',
      unreadable: 'networking.gke.io/static-ip is {value}, not an IP address, so the frontend family cannot be read (verify that it is the reserved address\'s IP)',
    },
    references: [
      'https://cloud.google.com/kubernetes-engine/docs/how-to/multi-cluster-ingress#static',
      'https://cloud.google.com/kubernetes-engine/docs/concepts/multi-cluster-ingress',
      'https://github.com/GoogleCloudPlatform/gke-networking-recipes/blob/main/ingress/multi-cluster/mci-frontend-config/README.md',
      'https://cloud.google.com/load-balancing/docs/application-load-balancer',
      'https://github.com/kubernetes/ingress-gce/blob/master/pkg/loadbalancers/forwarding_rules.go',
    ],
  },
  *targets({ model }) {
    const all = model.integrations.multiClusterIngresses;
    for (const mci of all) {
      const v6Twins = all.filter((o) => o !== mci && o.ref.namespace === mci.ref.namespace && o.routeKey === mci.routeKey && isV6(o));
      yield { ref: mci.ref, ...(mci.source ? { source: mci.source } : {}), annotations: mci.annotations, mci, v6Twins };
    }
  },
  *check({ mci, v6Twins }): Generator<RuleReport> {
    if (isV6(mci) || v6Twins.length > 0) return;
    if (mci.vip?.family === 'IPv4') {
      yield { messageId: 'vipV4', path: ['status', 'VIP'], data: { ip: mci.vip.ip } };
      return;
    }
    if (!mci.staticIP) {
      yield { messageId: 'ephemeral', path: ['metadata'] };
      return;
    }
    if (mci.staticIP.family === 'IPv4') yield { messageId: 'staticV4', path: mci.staticIP.path, data: { ip: mci.staticIP.value } };
    else yield { messageId: 'unreadable', path: mci.staticIP.path, data: { value: mci.staticIP.value }, severity: 'low' };
  },
});
