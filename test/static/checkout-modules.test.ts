import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DemoModule } from '../../src/cli/commands/demo.js';
import type { SimModule } from '../../src/cli/commands/sim.js';
import type { SandboxModule } from '../../src/cli/try-command/sandbox-module.js';
import * as runDemo from '../../src/demo/run-demo.js';
import * as runSimulators from '../../sim/command/run-simulators.js';
import * as rescueSandbox from '../../sim/command/rescue-sandbox.js';

// `imageurl demo`, `imageurl sim` and `imageurl try-command` load these modules by URL when they run, so the compiler
// sees no import there: the annotations below are where it checks that they fit.
describe('modules the demo, sim and try-command commands load from a checkout', () => {
  it('offer the demo command what it calls', () => {
    const demo: DemoModule = runDemo;
    assert.equal(typeof demo.runDemo, 'function');
  });

  it('offer the sim command what it calls', () => {
    const sim: SimModule = runSimulators;
    assert.equal(typeof sim.runSimulators, 'function');
    assert.equal(typeof sim.writeOsImage, 'function');
  });

  it('offer the try-command command what it calls', () => {
    const sandbox: SandboxModule = rescueSandbox;
    assert.equal(typeof sandbox.startRescueSandbox, 'function');
  });
});
