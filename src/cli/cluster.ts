// What live audits and `snapshot` share: the loader options from the flags, the contexts to read,
// the progress line. Loaded only by cli/live.ts and cli/snapshot.ts (lazily from cli/index.ts), so
// an offline run never loads load/cluster.ts.

import { ClusterAccessError, listContexts, parseDuration, type ClusterLoadOptions } from '../load/cluster.ts';
import { splitList, type LiveOpts } from './options.ts';
import { UsageError, type CliIO } from './io.ts';


/** Loader options common to every context, from the flags and (for tests) the environment. */
export function clusterOptions(o: LiveOpts, io: CliIO): ClusterLoadOptions {
  let requestTimeoutMs: number | undefined;
  if (o.requestTimeout !== undefined) {
    requestTimeoutMs = parseDuration(o.requestTimeout);
    if (requestTimeoutMs === undefined) throw new UsageError(`--request-timeout takes a duration such as 30s, 1m or 500ms, 0 for none (got "${o.requestTimeout}")`);
  }
  let kindDeadlineMs: number | undefined;
  if (o.kindDeadline !== undefined) {
    kindDeadlineMs = parseDuration(o.kindDeadline);
    if (kindDeadlineMs === undefined) throw new UsageError(`--kind-deadline takes a duration such as 5m, 90s or 500ms, 0 for none (got "${o.kindDeadline}")`);
  }
  const backoff = Number(io.env.DUALSTACK_AUDIT_BACKOFF_MS);
  const namespaces = splitList(o.namespace);
  return {
    ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    ...(kindDeadlineMs !== undefined ? { kindDeadlineMs } : {}),
    ...(namespaces.length > 0 ? { namespaces } : {}),
    ...(o.configmaps === 'kube-system' ? { configMaps: 'kube-system' as const } : {}),
    ...(Number.isFinite(backoff) && backoff >= 0 && io.env.DUALSTACK_AUDIT_BACKOFF_MS ? { backoffMs: backoff } : {}),
    env: io.env,
  };
}

/** The contexts to audit: --all-contexts, else every --context, else the current one (undefined). */
export async function contextsToAudit(o: LiveOpts, base: ClusterLoadOptions): Promise<(string | undefined)[]> {
  const named = splitList(o.context);
  if (o.allContexts) {
    if (named.length > 0) throw new UsageError('--all-contexts and --context cannot be combined');
    const { contexts } = await listContexts(base).catch(accessToUsage);
    if (contexts.length === 0) throw new UsageError('the kubeconfig has no contexts');
    return contexts;
  }
  return named.length > 0 ? [...new Set(named)] : [undefined];
}

export function accessToUsage(e: unknown): never {
  if (e instanceof ClusterAccessError) throw new UsageError(e.message);
  throw e;
}

/** A progress line on stderr, redrawn in place, only on a TTY. */
export function progressLine(io: CliIO): { update: (s: string) => void; clear: () => void } {
  if (!io.stderrIsTTY) return { update: () => {}, clear: () => {} };
  let last = 0;
  let shown = false;
  return {
    update: (s) => {
      const now = Date.now();
      if (now - last < 80) return;
      last = now;
      shown = true;
      io.stderr(`\r\x1b[K${s.slice(0, 120)}`);
    },
    clear: () => {
      if (shown) io.stderr('\r\x1b[K');
    },
  };
}
