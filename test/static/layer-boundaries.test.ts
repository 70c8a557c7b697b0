import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What the layer rule says about `code` placed at `file` (only that rule runs, without types). */
async function layerVerdicts(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  });
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).map((message) => `${message.ruleId ?? 'parser'}: ${message.message}`);
}

const refused: readonly (readonly [file: string, code: string, part: string])[] = [
  ['src/ports/example.ts', "import type { Runtime } from '../kube/index.js';", 'src/kube'],
  [
    'src/provisioning/handlers/example.ts',
    "import { x } from '../../reconcilers/shared/x.js';",
    'src/reconcilers',
  ],
  ['src/state-machine/example.ts', "export * from '../rescue/index.js';", 'src/rescue'],
  [
    'src/reconcilers/hcloud-machine/example.ts',
    "import { HcloudServers } from '../../hetzner/cloud/index.js';",
    'src/hetzner',
  ],
  ['src/kube/example.ts', "import type { Clock } from '../ports/clock.js';", 'src/ports'],
  ['src/webhooks/server/example.ts', "import { runController } from '../../setup/index.js';", 'src/setup'],
  ['src/cli/commands/example.ts', "import { runDemo } from '../../demo/run-demo.js';", 'src/demo'],
  ['src/setup/example.ts', "import { freePort } from '../../sim/process/free-port.js';", 'sim'],
  [
    'src/hetzner/example.ts',
    "import { fixture } from '../../test/fixtures/provisioning-fixture.js';",
    'test',
  ],
  ['sim/cloud/example.ts', "import type { Clock } from '../../src/ports/clock.js';", 'src/'],
  ['api/v1beta1/example.ts', "import type { Clock } from '../../src/ports/clock.js';", 'src/'],
];

const accepted: readonly (readonly [file: string, code: string])[] = [
  [
    'src/reconcilers/hcloud-machine/example.ts',
    "import { directoryCommandResolver } from '../../provisioning/index.js';",
  ],
  ['src/provisioning/example.ts', "import { kinds } from '../../api/v1beta1/index.js';"],
  ['src/kube/client/example.ts', "import { thing } from '../util/thing.js';"],
  ['src/demo/example.ts', "import { freePort } from '../../sim/process/free-port.js';"],
  [
    'src/webhooks/server/example.test.ts',
    "import { createCertDir } from '../../../sim/webhook/webhook-pki.js';",
  ],
  [
    'src/provisioning/example.test.ts',
    "import { fixture } from '../../test/fixtures/provisioning-fixture.js';",
  ],
  ['sim/cloud/example.ts', "import { z } from 'zod';"],
];

// The import layers (docs/adr/0007-import-layers.md), enforced by eslint.layers.js: these snippets stand where the file names say.
describe('the import layer rule', () => {
  for (const [file, code, part] of refused) {
    it(`refuses ${file} importing ${part}`, async () => {
      const verdicts = await layerVerdicts(file, code);
      assert.equal(verdicts.length, 1, verdicts.join('\n'));
      assert.match(verdicts[0] ?? '', new RegExp(`^no-restricted-imports: .* must not import ${part}`));
    });
  }

  for (const [file, code] of accepted) {
    it(`accepts ${file}: ${code}`, async () => {
      assert.deepEqual(await layerVerdicts(file, code), []);
    });
  }
});
