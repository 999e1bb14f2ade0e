// Kubernetes label selectors, as the apiserver evaluates them: a metav1.LabelSelector
// (matchLabels ANDed with matchExpressions; In, NotIn, Exists, DoesNotExist) converted and
// matched as apimachinery does (kubernetes/kubernetes
// staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector, and
// staging/src/k8s.io/apimachinery/pkg/labels/selector.go Requirement.Matches). An empty
// selector matches everything; a selector with an unknown operator or a missing key matches
// nothing here (apimachinery validation rejects it: ValidateLabelSelector). Pure.

import { isObject, str, stringMap } from '../model/resources.ts';

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

/** A metav1.LabelSelector. `invalid` marks a selector that matches nothing we can model. */
export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly SelectorRequirement[];
  readonly invalid?: boolean;
}

export const EMPTY_SELECTOR: LabelSelector = { matchLabels: {}, matchExpressions: [] };

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * Parse a metav1.LabelSelector. `keyPrefixes` are stripped from keys (Cilium writes
 * `k8s:app` and `any:app` for the plain label `app`).
 */
export function parseLabelSelector(v: unknown, keyPrefixes: readonly string[] = []): LabelSelector {
  if (!isObject(v)) return EMPTY_SELECTOR;
  const strip = (k: string): string => {
    for (const p of keyPrefixes) if (k.startsWith(p)) return k.slice(p.length);
    return k;
  };
  const matchLabels: Record<string, string> = {};
  for (const [k, val] of Object.entries(stringMap(v.matchLabels))) matchLabels[strip(k)] = val;
  const matchExpressions: SelectorRequirement[] = [];
  let invalid = false;
  if (Array.isArray(v.matchExpressions)) {
    for (const e of v.matchExpressions) {
      const key = isObject(e) ? str(e.key) : undefined;
      const op = isObject(e) ? str(e.operator) : undefined;
      if (!key || !op || !OPERATORS.has(op)) {
        invalid = true;
        continue;
      }
      const values = isObject(e) && Array.isArray(e.values) ? e.values.map((x) => String(x)) : [];
      matchExpressions.push({ key: strip(key), operator: op as SelectorRequirement['operator'], values });
    }
  }
  return invalid ? { matchLabels, matchExpressions, invalid } : { matchLabels, matchExpressions };
}

export const isEmptySelector = (s: LabelSelector): boolean =>
  !s.invalid && Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;

export function matchesSelector(s: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  if (s.invalid) return false;
  for (const [k, v] of Object.entries(s.matchLabels)) if (labels[k] !== v) return false;
  for (const e of s.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': if (!has || !e.values.includes(labels[e.key]!)) return false; break;
      case 'NotIn': if (has && e.values.includes(labels[e.key]!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
    }
  }
  return true;
}
