import rule from '../../src/rules/cloud-armor-regional-backend.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { ingress } from '../helpers/gke.ts';

const bc = `apiVersion: cloud.google.com/v1
kind: BackendConfig
metadata:
  name: web
  namespace: web
spec:
  securityPolicy:
    name: corp-allowlist
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: web
  annotations:
    cloud.google.com/backend-config: '{"default": "web"}'
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
`;
const gcpPolicy = `apiVersion: networking.gke.io/v1
kind: GCPBackendPolicy
metadata:
  name: web
  namespace: web
spec:
  default:
    securityPolicy: corp-allowlist
  targetRef: {group: "", kind: Service, name: web}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: web
spec:
  gatewayClassName: CLASS
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: web
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs: [{name: web, port: 80}]
`;

ruleTester(rule, {
  valid: [
    { name: 'global gce Ingress', yaml: `${bc}${ingress('web', { 'kubernetes.io/ingress.class': 'gce' })}` },
    { name: 'global Gateway class', yaml: gcpPolicy.replace('CLASS', 'gke-l7-global-external-managed') },
    { name: 'BackendConfig without an Ingress in the input', yaml: bc },
  ],
  invalid: [
    { name: 'gce-regional-external Ingress', yaml: `${bc}${ingress('web', { 'kubernetes.io/ingress.class': 'gce-regional-external' })}`,
      findings: [{ messageId: 'ingress', line: 8, severity: 'medium', includes: 'Ingress/web/web (gce-regional-external)' }] },
    { name: 'gce-internal Ingress', yaml: `${bc}${ingress('web', { 'kubernetes.io/ingress.class': 'gce-internal' })}`,
      findings: [{ messageId: 'ingress', line: 8 }] },
    { name: 'regional external Gateway: verify, low', yaml: gcpPolicy.replace('CLASS', 'gke-l7-regional-external-managed'),
      findings: [{ messageId: 'gateway', line: 8, severity: 'low', includes: 'verify' }] },
  ],
});
