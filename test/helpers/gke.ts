// Builders for the GKE rule tests. Line numbers count from the first line of the text.

/** An Ingress: annotations (one per line, from line 6) then a defaultBackend on Service `backend`. */
export function ingress(name: string, annotations: Record<string, string>, opts: { backend?: string; namespace?: string; extraSpec?: string; status?: string } = {}): string {
  const ann = Object.entries(annotations);
  return [
    'apiVersion: networking.k8s.io/v1', //    1
    'kind: Ingress', //                       2
    'metadata:', //                           3
    `  name: ${name}`, //                     4
    `  namespace: ${opts.namespace ?? 'web'}`, // 5
    ...(ann.length > 0 ? ['  annotations:', ...ann.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)] : []),
    'spec:',
    '  defaultBackend:',
    `    service: {name: ${opts.backend ?? 'web'}, port: {number: 80}}`,
    ...(opts.extraSpec ? opts.extraSpec.split('\n').map((l) => `  ${l}`) : []),
    ...(opts.status ? ['status:', ...opts.status.split('\n').map((l) => `  ${l}`)] : []),
    '',
  ].join('\n');
}

/** A LoadBalancer Service with annotations (from line 6) and spec lines. */
export function lb(annotations: Record<string, string>, spec: string, opts: { name?: string; meta?: string; status?: string } = {}): string {
  const ann = Object.entries(annotations);
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${opts.name ?? 'web'}`,
    ...(opts.meta ? opts.meta.split('\n').map((l) => `  ${l}`) : []),
    ...(ann.length > 0 ? ['  annotations:', ...ann.map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)] : []),
    'spec:',
    '  type: LoadBalancer',
    ...spec.split('\n').filter((l) => l !== '').map((l) => `  ${l}`),
    '  selector: {app: web}',
    '  ports: [{port: 443}]',
    ...(opts.status ? ['status:', ...opts.status.split('\n').map((l) => `  ${l}`)] : []),
    '',
  ].join('\n');
}

export const GCE = { 'kubernetes.io/ingress.class': 'gce' };
