import { defineRule, type RuleReport, type Target } from './types.ts';
import type { Model } from '../model/build.ts';
import type { Container, Located, Workload } from '../model/workloads.ts';
import { formatRef } from '../model/types.ts';

interface ExternalDnsTarget extends Target {
  readonly workload: Workload;
  readonly container: Container;
}

/** external-dns --source values and the kinds they publish. */
const SOURCE_KINDS: Readonly<Record<string, string>> = {
  service: 'Service', ingress: 'Ingress',
  'gateway-httproute': 'Gateway', 'gateway-grpcroute': 'Gateway', 'gateway-tlsroute': 'Gateway', 'gateway-tcproute': 'Gateway', 'gateway-udproute': 'Gateway',
  'istio-gateway': 'Gateway', 'istio-virtualservice': 'Gateway',
};

const isExternalDns = (c: Container): boolean =>
  /(^|\/)external-dns(:|@|$)/.test(c.image ?? '') || (c.image === undefined && c.name === 'external-dns');

/** `--flag=value` and `--flag value` forms, every occurrence, with the element the value came from. */
function flagValues(args: readonly Located[], flag: string): Located[] {
  const out: Located[] = [];
  args.forEach((a, i) => {
    const t = a.value.trim();
    if (t.startsWith(`--${flag}=`)) out.push({ value: t.slice(flag.length + 3), path: a.path });
    else if (t === `--${flag}` && args[i + 1]) out.push({ value: args[i + 1]!.value.trim(), path: a.path });
  });
  return out;
}

/** The image tag as [major, minor, patch] when it is a plain version. */
function imageVersion(image: string | undefined): [number, number, number] | undefined {
  if (!image) return undefined;
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(':');
  if (colon < 0 || ref.indexOf('/', colon) >= 0) return undefined;
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(ref.slice(colon + 1));
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** LoadBalancer Services with an IPv6 family, Ingresses and Gateways (when the cluster has IPv6): what external-dns publishes. */
function dualStackFrontends(model: Model, kinds: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (kinds.has('Service')) {
    for (const s of model.services) if (s.type === 'LoadBalancer' && s.effective?.ipFamilies.includes('IPv6')) out.push(formatRef(s.ref));
  }
  if (model.clusterFamilies.families.includes('IPv6')) {
    if (kinds.has('Ingress')) for (const r of model.byKind.get('Ingress') ?? []) out.push(formatRef(r.ref));
    if (kinds.has('Gateway')) for (const r of model.byKind.get('Gateway') ?? []) out.push(formatRef(r.ref));
  }
  return out;
}

export default defineRule<ExternalDnsTarget>({
  meta: {
    id: 'external-dns-aaaa-disabled',
    title: 'external-dns does not publish AAAA records for dual-stack frontends',
    category: 'dns',
    severity: 'medium',
    scope: ['Deployment', 'StatefulSet', 'DaemonSet', 'Pod'],
    rationale:
      'external-dns publishes the addresses of LoadBalancer Services, Ingresses and Gateways in public DNS. It only manages the record types listed in --managed-record-types, ' +
      'and it writes AAAA records only in versions that support them (v0.13 and later). With AAAA left out, a dual-stack frontend gets an A record only: ' +
      'IPv6 clients on the Internet cannot reach it by name even though it has an IPv6 address.',
    docs: {
      noFixedExample: 'The record types sit inside a container argument list, and AAAA records need external-dns v0.13 or later.',
      notes: 'Medium when the input also holds frontends that external-dns would publish with an IPv6 address (LoadBalancer Services with an IPv6 family; Ingresses and Gateways on a cluster with IPv6), counted per --source; low otherwise. When --managed-record-types is absent the version default applies, which is not judged. An image tag before v0.13 is reported at low, to verify. Sources: kubernetes-sigs/external-dns#3584, external-dns flags.',
    },
    fix: { summary: 'Add AAAA to --managed-record-types (and run external-dns v0.13 or later) so that dual-stack frontends get AAAA records.' },
    messages: {
      noAAAA: 'external-dns manages only {types} records (--managed-record-types): {frontends} get no AAAA record, so IPv6 clients cannot reach them by name',
      oldVersion: 'external-dns {version} predates AAAA support (v0.13, verify for your provider), so {frontends} get A records only',
    },
    references: ['kubernetes-sigs/external-dns#3584', 'https://github.com/kubernetes-sigs/external-dns/blob/master/docs/flags.md', 'https://github.com/kubernetes-sigs/external-dns/blob/master/pkg/apis/externaldns/types.go'],
  },
  *targets({ model }) {
    for (const workload of model.workloads) {
      for (const container of workload.containers) {
        if (!container.init && isExternalDns(container)) {
          yield { ref: workload.ref, annotations: workload.annotations, workload, container, ...(workload.source ? { source: workload.source } : {}), ...(workload.pods > 0 ? { pods: workload.pods } : {}) };
        }
      }
    }
  },
  *check({ container }, { model }): Generator<RuleReport> {
    const args = [...container.command, ...container.args];
    const sources = flagValues(args, 'source').map((s) => s.value);
    const kinds = new Set(sources.length > 0 ? sources.map((s) => SOURCE_KINDS[s]).filter((k): k is string => k !== undefined) : ['Service', 'Ingress', 'Gateway']);
    const frontends = dualStackFrontends(model, kinds);
    const severity = frontends.length > 0 ? 'medium' as const : 'low' as const;
    const shown = frontends.length === 0
      ? 'dual-stack frontends (none in the input yet)'
      : frontends.length <= 3 ? frontends.join(', ') : `${frontends.slice(0, 3).join(', ')} and ${frontends.length - 3} more`;
    const v = imageVersion(container.image);
    if (v && (v[0] === 0 && v[1] < 13)) {
      yield { messageId: 'oldVersion', path: [...container.path, 'image'], data: { version: `v${v.join('.')}`, frontends: shown }, severity: 'low' };
      return;
    }
    const types = flagValues(args, 'managed-record-types');
    if (types.length === 0) return;
    const listed = types.flatMap((t) => t.value.split(',')).map((t) => t.trim().toUpperCase()).filter((t) => t !== '');
    if (listed.includes('AAAA')) return;
    yield { messageId: 'noAAAA', path: types[0]!.path, data: { types: listed.join(', '), frontends: shown }, severity };
  },
});
