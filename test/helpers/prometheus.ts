// Builders for the observability rule tests. Line numbers count from the first line of the text.

/** A ConfigMap with data.prometheus.yml holding one job; `relabel` lines go under relabel_configs (line 11 on). */
export function promJob(role: string, relabel: string, opts: { name?: string; extra?: string } = {}): string {
  return [
    'apiVersion: v1', //                    1
    'kind: ConfigMap', //                   2
    'metadata:', //                         3
    '  name: prometheus', //                4
    'data:', //                             5
    '  prometheus.yml: |', //               6
    '    scrape_configs:', //               7
    `    - job_name: ${opts.name ?? 'pods'}`, // 8
    '      kubernetes_sd_configs:', //      9
    `      - role: ${role}`, //             10
    '      relabel_configs:', //            11
    ...relabel.split('\n').filter((l) => l !== '').map((l) => `      ${l}`), // 12 on
    ...(opts.extra ? opts.extra.split('\n').map((l) => `    ${l}`) : []),
    '',
  ].join('\n');
}

/** One relabel rule writing __address__ (4 lines). */
export const addr = (sources: string, regex: string, replacement: string): string =>
  `- source_labels: [${sources}]\n  regex: '${regex}'\n  replacement: '${replacement}'\n  target_label: __address__`;
