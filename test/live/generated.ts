// A large test cluster generated deterministically in-process (issue 14 item 8, issue 21 item 2):
// Deployments, their ReplicaSets and Pods (ownerReferences, podIPs on dual-stack nodes), one
// Service per Deployment with allocated clusterIPs, an IPv4 and an IPv6 EndpointSlice per
// Service, and the Nodes the Pods run on. Objects are made on demand from their index, so the
// test server (server.ts) serialises a page when it is asked for and holds nothing else: a
// 50,000-Pod cluster costs the server no memory, and the same index always gives the same bytes.
//
// The shapes follow what a v1.33 apiserver returns for a kubeadm/kind cluster: managedFields,
// uids, resourceVersions, the projected service-account volume, container statuses, Node images.

import type { ResourceDef } from './server.ts';

type Obj = Record<string, unknown>;

/** One generated kind: `count` objects, object i made by `item(i)`, namespaces as contiguous index ranges. */
export interface LazyKind {
  readonly def: ResourceDef;
  readonly count: number;
  item(i: number): Obj;
  /** The index range [start, end) of a namespace's objects (namespaced kinds). */
  range?(namespace: string): readonly [number, number];
}

export interface GeneratedCluster {
  /** Small cluster-wide objects (ServiceCIDR, default/kubernetes, kube-system ConfigMaps), served as usual. */
  readonly objects: readonly Obj[];
  readonly lazy: readonly LazyKind[];
  readonly counts: Readonly<Record<string, number>>;
}

export interface GenerateOptions {
  /** Services (= Deployments = ReplicaSets); default 10,000. */
  readonly services?: number;
  /** Pods per Deployment; default 5 (50,000 Pods for 10,000 Services). */
  readonly podsPerService?: number;
  /** Services per namespace; default 100. */
  readonly servicesPerNamespace?: number;
  /** Pods per Node; default 100. */
  readonly podsPerNode?: number;
  /** Every n-th Service is single-stack IPv4 (a realistic mix, so rules find something); default 10. */
  readonly singleStackEvery?: number;
}

export const APPS_RESOURCES: readonly ResourceDef[] = [
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true },
];

const CREATED = '2026-01-15T09:30:00Z';
const hex = (n: number, width: number): string => (n >>> 0).toString(16).padStart(width, '0').slice(-width);
/** A well-mixed 32-bit hash of (a, b): pseudo-random suffixes and uids, the same every run. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}
const uid = (kind: number, i: number): string =>
  `${hex(mix(kind, i), 8)}-${hex(mix(kind, i + 1) >>> 16, 4)}-4${hex(mix(i, kind), 3)}-8${hex(mix(kind + 7, i), 3)}-${hex(mix(i, kind + 3), 8)}${hex(i, 4)}`;
const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';
const suffix = (seed: number, n: number): string => {
  let s = '';
  let h = seed;
  for (let k = 0; k < n; k++) {
    h = mix(h, k);
    s += ALNUM[h % ALNUM.length];
  }
  return s;
};

/** The generated cluster: 10,000 Services and 50,000 Pods by default. */
export function generateCluster(opts: GenerateOptions = {}): GeneratedCluster {
  const services = opts.services ?? 10_000;
  const perSvc = opts.podsPerService ?? 5;
  const perNs = opts.servicesPerNamespace ?? 100;
  const perNode = opts.podsPerNode ?? 100;
  const singleEvery = opts.singleStackEvery ?? 10;
  const pods = services * perSvc;
  const nodes = Math.max(1, Math.ceil(pods / perNode));
  const nsOf = (svc: number): string => `team-${String(Math.floor(svc / perNs)).padStart(3, '0')}`;
  const nsIndex = (ns: string): number => {
    const m = /^team-(\d+)$/.exec(ns);
    return m ? Number(m[1]) : -1;
  };
  /** Index range of a namespace for a kind with `per` objects per Service. */
  const rangeBy = (per: number) => (ns: string): readonly [number, number] => {
    const k = nsIndex(ns);
    if (k < 0 || k * perNs >= services) return [0, 0];
    return [k * perNs * per, Math.min(services, (k + 1) * perNs) * per];
  };
  const app = (svc: number): string => `app-${String(svc).padStart(5, '0')}`;
  const hash = (svc: number): string => suffix(mix(11, svc), 10);
  const rsName = (svc: number): string => `${app(svc)}-${hash(svc)}`;
  const single = (svc: number): boolean => singleEvery > 0 && svc % singleEvery === singleEvery - 1;

  // Node n: pod range 10.(64 + n/256).(n%256).0/24 and fd00:10:244:<n>::/64; InternalIPs 172.18.x.y and fc00:f853:ccd:e793::<n>.
  const nodeName = (n: number): string => `worker-${String(n).padStart(4, '0')}`;
  const nodeV4 = (n: number): string => `10.${64 + (n >> 8)}.${n & 255}`;
  const nodeV6 = (n: number): string => `fd00:10:244:${n.toString(16)}`;
  const nodeIP4 = (n: number): string => `172.18.${(n >> 8) + 1}.${(n & 255)}`;
  const nodeIP6 = (n: number): string => `fc00:f853:ccd:e793::${(n + 2).toString(16)}`;
  // Pod p: node p / perNode, host part p % perNode + 2.
  const podNode = (p: number): number => Math.floor(p / perNode) % nodes;
  const podIP4 = (p: number): string => `${nodeV4(podNode(p))}.${(p % perNode) + 2}`;
  const podIP6 = (p: number): string => `${nodeV6(podNode(p))}::${((p % perNode) + 2).toString(16)}`;
  // Service s: 10.96.0.0/16 and fd00:10:96::/112, skipping the first ten addresses.
  const svcIP4 = (s: number): string => `10.96.${(s + 10) >> 8}.${(s + 10) & 255}`;
  const svcIP6 = (s: number): string => `fd00:10:96::${(s + 10).toString(16)}`;
  const rv = (kind: number, i: number): string => String(100_000 + kind * 1_000_000 + i);

  const managed = (manager: string, fields: Obj, subresource?: string): Obj => ({
    manager, operation: 'Update', apiVersion: 'v1', time: CREATED, fieldsType: 'FieldsV1', fieldsV1: fields, ...(subresource ? { subresource } : {}),
  });
  const template = (svc: number): Obj => ({
    metadata: { labels: { app: app(svc), tier: 'backend' } },
    spec: {
      containers: [{
        name: 'server', image: `registry.example.com/shop/${app(svc)}:1.${svc % 17}.${svc % 5}`,
        args: ['--listen=:8080', '--metrics=:9090'],
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
        env: [
          { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
          { name: 'UPSTREAM', value: `${app((svc + 1) % services)}.${nsOf((svc + 1) % services)}.svc.cluster.local:80` },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
        resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
        livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
        terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
      }],
      restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler',
    },
  });

  const deployment = (s: number): Obj => ({
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: {
      name: app(s), namespace: nsOf(s), uid: uid(1, s), resourceVersion: rv(1, s), generation: 1, creationTimestamp: CREATED,
      labels: { app: app(s) }, annotations: { 'deployment.kubernetes.io/revision': '1' },
      managedFields: [managed('kubectl-client-side-apply', { 'f:spec': { 'f:replicas': {}, 'f:template': {} } })],
    },
    spec: {
      replicas: perSvc, selector: { matchLabels: { app: app(s) } }, template: template(s),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
    },
    status: { observedGeneration: 1, replicas: perSvc, updatedReplicas: perSvc, readyReplicas: perSvc, availableReplicas: perSvc },
  });
  const replicaSet = (s: number): Obj => {
    const t = template(s) as { metadata: { labels: Obj } };
    t.metadata.labels['pod-template-hash'] = hash(s);
    return {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {
        name: rsName(s), namespace: nsOf(s), uid: uid(2, s), resourceVersion: rv(2, s), generation: 1, creationTimestamp: CREATED,
        labels: { app: app(s), 'pod-template-hash': hash(s) }, annotations: { 'deployment.kubernetes.io/desired-replicas': String(perSvc), 'deployment.kubernetes.io/revision': '1' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app(s), uid: uid(1, s), controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas: perSvc, selector: { matchLabels: { app: app(s), 'pod-template-hash': hash(s) } }, template: t },
      status: { replicas: perSvc, fullyLabeledReplicas: perSvc, readyReplicas: perSvc, availableReplicas: perSvc, observedGeneration: 1 },
    };
  };
  const pod = (p: number): Obj => {
    const s = Math.floor(p / perSvc);
    const name = `${rsName(s)}-${suffix(mix(13, p), 5)}`;
    const t = template(s) as { spec: { containers: Obj[]; [k: string]: unknown } };
    const vol = `kube-api-access-${suffix(mix(17, p), 5)}`;
    const c = t.spec.containers[0]!;
    c.volumeMounts = [{ name: vol, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }];
    const n = podNode(p);
    const v4 = podIP4(p);
    const v6 = podIP6(p);
    return {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name, generateName: `${rsName(s)}-`, namespace: nsOf(s), uid: uid(3, p), resourceVersion: rv(3, p), creationTimestamp: CREATED,
        labels: { app: app(s), tier: 'backend', 'pod-template-hash': hash(s) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName(s), uid: uid(2, s), controller: true, blockOwnerDeletion: true }],
        managedFields: [
          managed('kube-controller-manager', { 'f:metadata': { 'f:generateName': {}, 'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {}, 'f:tier': {} }, 'f:ownerReferences': { '.': {}, [`k:{"uid":"${uid(2, s)}"}`]: {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"server"}': { '.': {}, 'f:args': {}, 'f:env': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:livenessProbe': {}, 'f:name': {}, 'f:ports': {}, 'f:readinessProbe': {}, 'f:resources': {} } }, 'f:dnsPolicy': {}, 'f:restartPolicy': {} } }),
          managed('kubelet', { 'f:status': { 'f:conditions': {}, 'f:containerStatuses': {}, 'f:hostIP': {}, 'f:hostIPs': {}, 'f:phase': {}, 'f:podIP': {}, 'f:podIPs': { '.': {}, [`k:{"ip":"${v4}"}`]: { '.': {}, 'f:ip': {} }, [`k:{"ip":"${v6}"}`]: { '.': {}, 'f:ip': {} } }, 'f:startTime': {} } }, 'status'),
        ],
      },
      spec: {
        ...t.spec,
        volumes: [{ name: vol, projected: { defaultMode: 420, sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ] } }],
        serviceAccountName: 'default', serviceAccount: 'default', nodeName: nodeName(n), priority: 0, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
        tolerations: [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
      },
      status: {
        phase: 'Running',
        conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: CREATED })),
        hostIP: nodeIP4(n), hostIPs: [{ ip: nodeIP4(n) }, { ip: nodeIP6(n) }],
        podIP: v4, podIPs: [{ ip: v4 }, { ip: v6 }],
        startTime: CREATED,
        containerStatuses: [{
          name: 'server', state: { running: { startedAt: CREATED } }, lastState: {}, ready: true, restartCount: 0,
          image: `registry.example.com/shop/${app(s)}:1.${s % 17}.${s % 5}`, imageID: `registry.example.com/shop/${app(s)}@sha256:${hex(mix(19, s), 8).repeat(8)}`,
          containerID: `containerd://${hex(mix(23, p), 8).repeat(8)}`, started: true,
        }],
        qosClass: 'Burstable',
      },
    };
  };
  const service = (s: number): Obj => {
    const one = single(s);
    return {
      apiVersion: 'v1', kind: 'Service',
      metadata: {
        name: app(s), namespace: nsOf(s), uid: uid(4, s), resourceVersion: rv(4, s), creationTimestamp: CREATED, labels: { app: app(s) },
        managedFields: [managed('kubectl-client-side-apply', { 'f:spec': { 'f:ports': {}, 'f:selector': {}, 'f:ipFamilyPolicy': {} } })],
      },
      spec: {
        ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }],
        selector: { app: app(s) },
        clusterIP: svcIP4(s), clusterIPs: one ? [svcIP4(s)] : [svcIP4(s), svcIP6(s)],
        type: 'ClusterIP', sessionAffinity: 'None',
        ipFamilies: one ? ['IPv4'] : ['IPv4', 'IPv6'], ipFamilyPolicy: one ? 'SingleStack' : 'PreferDualStack',
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: {} },
    };
  };
  // Slice 2s is the Service's IPv4 slice, 2s+1 its IPv6 one.
  const slice = (k: number): Obj => {
    const s = k >> 1;
    const v6 = (k & 1) === 1;
    const eps: Obj[] = [];
    if (!v6 || !single(s)) {
      for (let j = 0; j < perSvc; j++) {
        const p = s * perSvc + j;
        eps.push({
          addresses: [v6 ? podIP6(p) : podIP4(p)], conditions: { ready: true, serving: true, terminating: false },
          targetRef: { kind: 'Pod', namespace: nsOf(s), name: `${rsName(s)}-${suffix(mix(13, p), 5)}`, uid: uid(3, p) }, nodeName: nodeName(podNode(p)),
        });
      }
    }
    return {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: {
        name: `${app(s)}-${suffix(mix(29, k), 5)}`, generateName: `${app(s)}-`, namespace: nsOf(s), uid: uid(5, k), resourceVersion: rv(5, k), creationTimestamp: CREATED,
        labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': app(s) },
        annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': CREATED },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: app(s), uid: uid(4, s), controller: true, blockOwnerDeletion: true }],
      },
      addressType: v6 ? 'IPv6' : 'IPv4',
      endpoints: eps,
      ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    };
  };
  const node = (n: number): Obj => ({
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: nodeName(n), uid: uid(6, n), resourceVersion: rv(6, n), creationTimestamp: CREATED,
      labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': nodeName(n), 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': `zone-${String.fromCharCode(97 + (n % 3))}` },
      annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock', 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: `${nodeV4(n)}.0/24`, podCIDRs: [`${nodeV4(n)}.0/24`, `${nodeV6(n)}::/64`], providerID: `kind://docker/kind/${nodeName(n)}` },
    status: {
      capacity: { cpu: '16', 'ephemeral-storage': '263174212Ki', memory: '65851752Ki', pods: '110' },
      allocatable: { cpu: '16', 'ephemeral-storage': '263174212Ki', memory: '65851752Ki', pods: '110' },
      conditions: ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({
        type, status: type === 'Ready' ? 'True' : 'False', lastHeartbeatTime: CREATED, lastTransitionTime: CREATED, reason: `Kubelet${type === 'Ready' ? 'Ready' : `Has${type === 'PIDPressure' ? 'Sufficient' : 'No'}${type.replace('Pressure', '')}`}`, message: 'kubelet status',
      })),
      addresses: [{ type: 'InternalIP', address: nodeIP4(n) }, { type: 'InternalIP', address: nodeIP6(n) }, { type: 'Hostname', address: nodeName(n) }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { machineID: hex(mix(31, n), 8).repeat(4), systemUUID: uid(7, n), bootID: uid(8, n), kernelVersion: '6.8.0-45-generic', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://2.0.3', kubeletVersion: 'v1.33.0', kubeProxyVersion: 'v1.33.0', operatingSystem: 'linux', architecture: 'amd64' },
      images: Array.from({ length: 20 }, (_, k) => ({ names: [`registry.example.com/shop/${app((n * 20 + k) % services)}@sha256:${hex(mix(19, k), 8).repeat(8)}`], sizeBytes: 20_000_000 + k })),
    },
  });

  const objects: Obj[] = [
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR',
      metadata: { name: 'kubernetes', uid: uid(9, 0), resourceVersion: '90', creationTimestamp: CREATED },
      spec: { cidrs: ['10.96.0.0/16', 'fd00:10:96::/112'] },
      status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: CREATED, reason: '', message: 'Kubernetes Service CIDR is ready' }] },
    },
    {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', uid: uid(9, 1), resourceVersion: '91', creationTimestamp: CREATED, labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }], clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], type: 'ClusterIP', sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' },
      status: { loadBalancer: {} },
    },
  ];
  const lazy: LazyKind[] = [
    { def: { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false }, count: nodes, item: node },
    { def: { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true }, count: pods, item: pod, range: rangeBy(perSvc) },
    { def: { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true }, count: services, item: service, range: rangeBy(1) },
    { def: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true }, count: services * 2, item: slice, range: rangeBy(2) },
    { def: APPS_RESOURCES[0]!, count: services, item: deployment, range: rangeBy(1) },
    { def: APPS_RESOURCES[1]!, count: services, item: replicaSet, range: rangeBy(1) },
  ];
  return { objects, lazy, counts: Object.fromEntries(lazy.map((l) => [l.def.kind, l.count])) };
}
