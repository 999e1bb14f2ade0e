import { defineRule, type RuleReport } from './types.ts';
import { containerLabel, pointer, snippet, workloadTarget, type WorkloadTarget } from './helpers-workloads.ts';
import { WORKLOAD_KINDS } from '../model/workloads.ts';

/** net.ipv6.conf.<if>.disable_ipv6, with dots or slashes as separators. */
const SYSCTL_NAME = /^net[./]ipv6[./]conf[./][^\s=]+[./]disable_ipv6$/;
/** `sysctl [-w] net.ipv6.conf.X.disable_ipv6=1` (any key=value form of the key). */
const SYSCTL_CMD = /\bnet[./]ipv6[./]conf[./][^\s=]+[./]disable_ipv6\s*=\s*["']?1\b/g;
/** `echo 1 > /proc/sys/net/ipv6/conf/X/disable_ipv6`, `echo 1 | tee ...`, `printf 1 > ...`. */
const PROC_WRITE = /\b(?:echo|printf)\s+(?:-[ne]+\s+)?["']?1(?:\\n)?["']?\s*(?:>{1,2}|\|\s*(?:sudo\s+)?tee(?:\s+-a)?)\s*["']?\/proc\/sys\/net\/ipv6\/conf\/[^\s/"']+\/disable_ipv6/g;

/** Index of the first match that is not on a shell comment line. */
function firstActive(text: string): number | undefined {
  for (const re of [SYSCTL_CMD, PROC_WRITE]) {
    for (const m of text.matchAll(re)) {
      const lineStart = text.lastIndexOf('\n', m.index! - 1) + 1;
      if (!text.slice(lineStart, m.index).trimStart().startsWith('#')) return m.index!;
    }
  }
  return undefined;
}

export default defineRule<WorkloadTarget>({
  meta: {
    id: 'sysctl-disables-ipv6',
    fixable: 'suggestion',
    title: 'Pods that switch IPv6 off with a sysctl',
    category: 'workloads',
    severity: 'high',
    scope: WORKLOAD_KINDS,
    rationale:
      'net.ipv6.conf.<interface>.disable_ipv6=1 removes IPv6 from the pod\'s interfaces after the CNI gave the pod an IPv6 address. ' +
      'The pod is still listed with that address in its status and in the IPv6 EndpointSlices of its Services, so IPv6 traffic to it is sent to an address that no longer exists there. ' +
      'It is set either through securityContext.sysctls (an unsafe sysctl that the kubelet only admits with --allowed-unsafe-sysctls) or by a privileged container running sysctl or writing /proc/sys.',
    docs: {
      notes: 'Reads securityContext.sysctls (names with dots or slashes) and the command and args of every container, init containers included, for `sysctl -w net.ipv6.conf.X.disable_ipv6=1` and `echo 1 > /proc/sys/net/ipv6/conf/X/disable_ipv6`. net.ipv6.* is not in the Pod Security baseline safe set (web:concepts/security/pod-security-standards.md).',
    },
    fix: { summary: 'Remove the sysctl (or the command that sets it) and make the program work with IPv6 present, for example by binding to IPv4 explicitly if it must stay IPv4-only.' },
    messages: {
      securityContext: 'securityContext.sysctls sets {name}={value}, which removes IPv6 from the pod while its IPv6 address stays in its Services\' EndpointSlices',
      command: '{where} runs {text}, which removes IPv6 from the pod while its IPv6 address stays in its Services\' EndpointSlices',
    },
    references: ['https://github.com/kubernetes/website/blob/main/content/en/docs/concepts/security/pod-security-standards.md', 'https://github.com/kubernetes/website/blob/main/content/en/docs/tasks/administer-cluster/sysctl-cluster.md', 'https://docs.kernel.org/networking/ip-sysctl.html'],
  },
  *targets({ model }) {
    for (const w of model.workloads) yield workloadTarget(w);
  },
  *check({ w }): Generator<RuleReport> {
    for (const s of w.sysctls) {
      if (SYSCTL_NAME.test(s.name) && s.value.trim() === '1') {
        yield {
          messageId: 'securityContext', path: [...s.path, 'name'], data: { name: s.name, value: s.value },
          suggest: [{ op: 'remove', path: pointer(s.path) }],
        };
      }
    }
    for (const c of w.containers) {
      for (const [field, items] of [['command', c.command], ['args', c.args]] as const) {
        for (const f of items) {
          const at = firstActive(f.value);
          if (at === undefined) continue;
          yield { messageId: 'command', path: f.path, data: { where: `${field} of ${containerLabel(c)}`, text: snippet(f.value, at, 80) } };
        }
      }
    }
  },
});
