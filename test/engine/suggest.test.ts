import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean, editDistance, suggestion } from '../../src/engine/suggest.ts';
import { RULES } from '../../src/rules/index.ts';

const ids = RULES.map((r) => r.meta.id);

test('edit distance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('explain', 'expalin'), 1);
  assert.equal(editDistance('rules', 'rule'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('did you mean: misspelled rule ids and subcommands find the intended one, unrelated words nothing', () => {
  assert.equal(didYouMean('service-singel-stack', ids), 'service-single-stack');
  assert.equal(didYouMean('servce-single-stack', ids), 'service-single-stack');
  assert.equal(didYouMean('Service-Single-Stack', ids), 'service-single-stack');
  assert.equal(didYouMean('dns-aaaa-coverag', ids), 'dns-aaaa-coverage');
  const commands = ['snapshot', 'init', 'rules', 'explain'];
  assert.equal(didYouMean('expain', commands), 'explain');
  assert.equal(didYouMean('rule', commands), 'rules');
  assert.equal(didYouMean('snap', commands), 'snapshot', 'a unique prefix');
  assert.equal(didYouMean('k8s', commands), undefined);
  assert.equal(didYouMean('manifests', commands), undefined);
  assert.equal(didYouMean('nonsense-rule', ids), undefined);
  assert.equal(suggestion('expain', commands), ' (did you mean explain?)');
  assert.equal(suggestion('zzz', commands), '');
});
