// The live read keeps only the ConfigMaps a model builder reads (model/recognised.ts): Linkerd's
// stored Helm values and its CNI configuration must be among them, other ConfigMaps must not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsyaml from 'js-yaml';
import { recognisedConfigMap } from '../../src/model/recognised.ts';
import { fixture } from '../helpers/yaml.ts';

const INSTALL = fixture('corpus/linkerd2/cli/cmd/testdata/install_default.golden');
const CNI = fixture('corpus/linkerd2/cli/cmd/testdata/install-cni-plugin_default.golden');
const doc = (text: string): { object: Record<string, unknown> } => ({ object: jsyaml.load(text) as Record<string, unknown> });

test('linkerd-config and linkerd-cni-config are recognised ConfigMaps', () => {
  assert.equal(recognisedConfigMap(doc(INSTALL.split('\n---\n')[0]!), new Set()), true);
  assert.equal(recognisedConfigMap(doc(CNI), new Set()), true);
});

test('a ConfigMap with the same name but no values, or another CNI, is not', () => {
  assert.equal(recognisedConfigMap(doc('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: linkerd-config}\ndata: {other: x}\n'), new Set()), false);
  assert.equal(recognisedConfigMap(doc('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cni}\ndata: {cni_network_config: \'{"type": "calico"}\'}\n'), new Set()), false);
});
