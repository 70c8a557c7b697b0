import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRecordingModules } from '../support/loaded-modules.js';

/** Modules of the simulators and the demo: never part of what the controller runs. */
const checkoutOnly = (module: string): boolean => module.startsWith('sim/') || module.startsWith('src/demo/');
/** What a command loads only when it runs: try-command's run, the sandbox and the rescue adapter. */
const loadedWhenRun = (module: string): boolean => module.startsWith('src/cli/try-command/');

// The production commands stay free of the simulators, and --help of the demo, sim and
// try-command commands reads only their option definitions.
describe('modules the imageurl entry point loads', () => {
  for (const command of ['controller', 'demo', 'sim', 'try-command']) {
    it(`loads no simulator or demo module for imageurl ${command} --help`, async () => {
      const { stdout, modules } = await runRecordingModules([command, '--help']);
      assert.match(stdout, new RegExp(`^Usage: imageurl ${command} \\[options\\]`));
      // The record itself works: the command's own file was seen being loaded.
      assert.ok(
        modules.some((module) => module.startsWith(`src/cli/commands/${command}.`)),
        `the module log misses src/cli/commands/${command}: ${modules.slice(0, 5).join(', ')}`,
      );
      assert.deepEqual(modules.filter(checkoutOnly), []);
      assert.deepEqual(modules.filter(loadedWhenRun), []);
    });
  }
});

// Most of the CLI's start-up time was loading the API's schemas, the admission rules, and the
// Kubernetes and registry clients: `--help` of any command needs none of them.
const heavy = (module: string): boolean =>
  module.startsWith('api/') ||
  /^src\/(webhooks\/(kinds|manifests|server\/webhook-server)|kube\/(client|manager\/(?!termination)|transport)|oci\/registry-client|setup)\b/.test(
    module,
  );

describe('modules --help loads', () => {
  for (const args of [
    ['--help'],
    ...['controller', 'validate', 'webhook', 'report', 'image'].map((c) => [c, '--help']),
  ]) {
    it(`imageurl ${args.join(' ')} loads no API schema, admission rule or client`, async () => {
      const { stdout, modules } = await runRecordingModules(args);
      assert.match(stdout, /^Usage: imageurl/);
      assert.ok(modules.includes('src/cli/main.ts') || modules.some((m) => m.startsWith('src/cli/main.')));
      assert.deepEqual(modules.filter(heavy), []);
    });
  }
});
