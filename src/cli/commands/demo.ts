import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
// Not kube/index: --help must not load the controller runtime.
import { terminationSignal } from '../../kube/manager/termination.js';
import type { ServedKind } from '../../webhooks/server/index.js';
import type { LoadServedDefinitions } from '../served-kinds.js';
import { importFromCheckout } from '../checkout-module.js';
import { closableOutput } from '../closable-output.js';

/** What src/demo/run-demo.ts offers this command, loaded only when the demo runs. */
export interface DemoModule {
  readonly runDemo: (options: DemoRunOptions, io: DemoRunIo) => Promise<number>;
}

interface DemoRunOptions {
  readonly machines: number;
  readonly baremetal: boolean;
  readonly withoutClusterApi: boolean;
  readonly timeScale: number;
  readonly imageURLCommand: string;
  readonly exitWhenDone: boolean;
  readonly deadlineMs: number;
  readonly logLevel: string;
  readonly kinds: readonly ServedKind[];
}

interface DemoRunIo {
  readonly print: (line: string) => void;
  readonly signal: AbortSignal;
}

function numberIn(min: number, max: number, integer: boolean): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (
      value.trim() === '' ||
      !Number.isFinite(n) ||
      n < min ||
      n > max ||
      (integer && !Number.isInteger(n))
    ) {
      const kind = integer ? 'a whole number' : 'a number';
      throw new InvalidArgumentError(
        `${JSON.stringify(value.slice(0, 20))} is not ${kind} from ${String(min)} to ${String(max)}`,
      );
    }
    return n;
  };
}

/** `imageurl demo`: the main job on this machine, from an empty start to machines running. */
export function demoCommand(stdinIsTty: boolean, served: LoadServedDefinitions): Command {
  return new Command('demo')
    .description(
      "run a local control plane, the Hetzner Cloud (or, with --baremetal, Robot) simulator, an OCI registry, Cluster API's managers and the controller, and bring up a cluster whose machines install from an image URL and join a workload cluster (root)",
    )
    .option(
      '--machines <n>',
      'machines to provision (with Cluster API: workers, plus one control-plane machine)',
      numberIn(1, 20, true),
      3,
    )
    .option(
      '--baremetal',
      "dedicated servers instead: the Robot simulator, one server per machine, HetznerBareMetalHosts and HetznerBareMetalMachines (without Cluster API's managers)",
    )
    .option(
      '--without-cluster-api',
      "the quick story: hand-made Machines and HCloudMachines, no Cluster API managers and no workload cluster (by default Cluster API's own managers apply the hcloud-image-url template and the nodes join a workload cluster)",
    )
    .option(
      '--time-scale <x>',
      "multiplies Hetzner's measured durations (1 = as measured, about 2 minutes per machine)",
      numberIn(0, 10, false),
      0.1,
    )
    .option('--command <name>', 'imageURLCommand, from the commands/ folder', 'image-url-command-oci-disk')
    .option('--exit', 'stop everything once the machines are running (default when stdin is not a terminal)')
    .option('--no-exit', 'keep everything running after the machines are done, until Ctrl-C')
    .option(
      '--timeout <seconds>',
      'give up when the machines are not done by then',
      numberIn(10, 7200, true),
      600,
    )
    .option('--log-level <level>', "the controller's log level (its log goes to a file)", 'info')
    .action(async (options) => {
      const demo = new URL('../../demo/run-demo.js', import.meta.url);
      const { runDemo } = await importFromCheckout<DemoModule>(demo, 'demo');
      const termination = terminationSignal(process);
      // Ctrl-C, SIGTERM, or a reader that stopped reading (`imageurl demo | head`) end the demo.
      const output = closableOutput(process.stdout);
      try {
        process.exitCode = await runDemo(
          {
            machines: options.machines,
            baremetal: options.baremetal === true,
            withoutClusterApi: options.withoutClusterApi === true,
            timeScale: options.timeScale,
            imageURLCommand: options.command,
            exitWhenDone: options.exit ?? !stdinIsTty,
            deadlineMs: options.timeout * 1000,
            logLevel: options.logLevel,
            kinds: (await served()).admissions,
          },
          { print: output.print, signal: AbortSignal.any([termination.signal, output.closed]) },
        );
      } finally {
        termination.dispose();
        output.dispose();
      }
    });
}
