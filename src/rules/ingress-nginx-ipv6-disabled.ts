import { defineRule, type RuleReport, type Target } from './types.ts';
import type { NginxConfigMap } from '../model/frontends.ts';

interface NginxTarget extends Target {
  readonly cm: NginxConfigMap;
}

/** Go's strconv.ParseBool true values (the controller decodes the ConfigMap with mapstructure, weakly typed). */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

export default defineRule<NginxTarget>({
  meta: {
    id: 'ingress-nginx-ipv6-disabled',
    fixable: 'suggestion',
    title: 'ingress-nginx configured not to listen on or resolve IPv6',
    category: 'services',
    severity: 'medium',
    scope: ['ConfigMap'],
    rationale:
      'The ingress-nginx controller ConfigMap key disable-ipv6: "true" stops nginx listening on IPv6, so IPv6 connections to the controller\'s dual-stack Service (or host ports) are refused. ' +
      'disable-ipv6-dns: "true" turns IPv6 off in nginx\'s resolver, so upstreams given by name (ExternalName Services, external auth URLs) are reached over IPv4 only. Both default to false.',
    docs: {
      notes: 'A ConfigMap is taken for the controller\'s when a controller container names it with --configmap, when it is labelled app.kubernetes.io/name: ingress-nginx (not the admission webhook), or when it has one of the usual names (ingress-nginx-controller, nginx-configuration, nginx-ingress-controller). Values are read as Go booleans (1, t, true, True, TRUE). Source: ingress-nginx:docs/user-guide/nginx-configuration/configmap.md.',
    },
    fix: { summary: 'Remove the key (or set it to "false") so that nginx listens on and resolves IPv6.' },
    messages: {
      listen: 'disable-ipv6: "{value}" stops ingress-nginx listening on IPv6, so IPv6 clients of the controller Service are refused',
      dns: 'disable-ipv6-dns: "{value}" turns IPv6 off in ingress-nginx\'s resolver, so upstreams given by name are reached over IPv4 only',
    },
    references: ['https://github.com/kubernetes/ingress-nginx/blob/main/docs/user-guide/nginx-configuration/configmap.md', 'https://github.com/kubernetes/ingress-nginx/blob/main/internal/ingress/controller/config/config.go'],
  },
  *targets({ model }) {
    for (const cm of model.frontends.nginxConfigMaps) yield { ref: cm.ref, ...(cm.source ? { source: cm.source } : {}), annotations: cm.annotations, cm };
  },
  *check({ cm }): Generator<RuleReport> {
    for (const [key, messageId] of [['disable-ipv6', 'listen'], ['disable-ipv6-dns', 'dns']] as const) {
      const v = cm.data[key];
      if (v === undefined || !TRUE.has(v)) continue;
      yield { messageId, path: ['data', key], data: { value: v }, suggest: [{ op: 'remove', path: `/data/${key}` }] };
    }
  },
});
