import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { manifestFiles, parseCrds } from './crds.js';

const CRD = `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.invalid
spec:
  group: example.invalid
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: has(self.size)
---
---
apiVersion: v1
kind: ConfigMap
metadata: { name: not-a-crd }
`;

describe('CRD manifests', () => {
  it('takes the CRDs of a multi-document YAML, skipping empty documents and other kinds', () => {
    const crds = parseCrds(CRD, 'widgets.yaml');
    assert.equal(crds.length, 1);
    assert.equal(crds[0]?.metadata?.name, 'widgets.example.invalid');
  });

  it('keeps the x-kubernetes-* schema extensions in the typed model', () => {
    const schema = parseCrds(CRD, 'widgets.yaml')[0]?.spec.versions[0]?.schema?.openAPIV3Schema;
    assert.equal(schema?.x_kubernetes_preserve_unknown_fields, true);
    assert.equal(schema.properties?.['spec']?.x_kubernetes_validations?.[0]?.rule, 'has(self.size)');
  });

  it('names the file of invalid YAML', () => {
    assert.throws(() => parseCrds('a: [\n', 'broken.yaml'), /broken\.yaml: invalid YAML/);
  });

  it('expands folders to their manifests, sorted, and keeps files as given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imageurl-crds-'));
    try {
      await mkdir(join(dir, 'nested'));
      for (const name of ['b.yaml', 'a.yml', 'c.json', 'notes.txt', 'nested/d.yaml']) {
        await writeFile(join(dir, name), '');
      }
      const files = await manifestFiles([dir, join(dir, 'notes.txt')]);
      assert.deepEqual(
        files,
        ['a.yml', 'b.yaml', 'c.json', 'notes.txt'].map((name) => join(dir, name)),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
