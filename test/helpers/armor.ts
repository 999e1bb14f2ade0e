// A Config Connector ComputeSecurityPolicy for the Cloud Armor rule tests. Rule i starts at
// line 6 + (lines of the rules before it); a ranges rule takes 6 lines plus one per range.

export interface ArmorRuleSpec {
  readonly action: string;
  readonly priority: number;
  readonly ranges?: readonly string[];
  readonly expr?: string;
  readonly preview?: boolean;
}

export function armor(rules: readonly ArmorRuleSpec[], name = 'edge'): string {
  const out = ['apiVersion: compute.cnrm.cloud.google.com/v1beta1', 'kind: ComputeSecurityPolicy', 'metadata:', `  name: ${name}`, 'spec:', '  rule:'];
  for (const r of rules) {
    out.push(`  - action: ${r.action}`, `    priority: ${r.priority}`);
    if (r.preview) out.push('    preview: true');
    out.push('    match:');
    if (r.expr !== undefined) {
      out.push('      expr:', `        expression: ${JSON.stringify(r.expr)}`);
    } else {
      out.push('      versionedExpr: SRC_IPS_V1', '      config:', '        srcIpRanges:', ...(r.ranges ?? []).map((x) => `        - ${JSON.stringify(x)}`));
    }
  }
  return `${out.join('\n')}\n`;
}
