import rule from '../../src/rules/gke-ingress-pair-drift.ts';
import { ruleTester } from '../helpers/rule-tester.ts';
import { fixture } from '../helpers/yaml.ts';
import { GCE, ingress } from '../helpers/gke.ts';

const G = 'kubernetes.io/ingress.global-static-ip-name';
const MC = 'networking.gke.io/managed-certificates';
const v4 = ingress('web', { ...GCE, [G]: 'web-v4', [MC]: 'web-cert' });

ruleTester(rule, {
  valid: [
    { name: 'identical twins', yaml: `${v4}---\n${ingress('web-v6', { ...GCE, [G]: 'web-v6', [MC]: 'web-cert' })}` },
    { name: 'other namespace is not a twin', yaml: `${v4}---\n${ingress('web-v6', { ...GCE, [G]: 'web-v6' }, { namespace: 'other' })}` },
    { name: 'corpus: a single static Ingress has no pair', yaml: fixture('corpus/gke-samples/networking/load-balancing/basic-ingress-static.yaml') },
  ],
  invalid: [
    { name: 'managed certificate only on the IPv4 Ingress', yaml: `${v4}---\n${ingress('web-v6', { ...GCE, [G]: 'web-v6' })}`,
      findings: [{ messageId: 'drift', line: 19, resource: 'Ingress/web/web-v6', includes: 'networking.gke.io/managed-certificates (null vs "web-cert")' }] },
    { name: 'rules drift on a suffix-named pair with other backends', yaml: `${v4}---\n${ingress('web-v6', { ...GCE, [G]: 'web-v6', [MC]: 'web-cert' }, { backend: 'web-old', extraSpec: 'tls: [{secretName: web-tls}]' })}`,
      findings: [{ messageId: 'drift', line: 24, includes: 'default backend' }, { messageId: 'drift', line: 26, includes: 'spec.tls' }] },
  ],
});
