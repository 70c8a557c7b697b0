import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
// Not kube/index: --help must not load the controller runtime.
import { terminationSignal } from '../../kube/manager/termination.js';
import type { CommonFlags, ProvisionIo } from '../provision/run-provision.js';

/** The provision code (engine, Hetzner clients, SSH) loads only when the command runs. */
const provisionModule = (): Promise<typeof import('../provision/run-provision.js')> =>
  import('../provision/run-provision.js');

function serverNumber(value: string): number {
  if (!/^[1-9]\d{0,9}$/.test(value))
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify(value.slice(0, 20))}; allowed: a Robot server number`,
    );
  return Number(value);
}

function wwnList(value: string, previous: string[] = []): string[] {
  const wwns = value.split(',').map((wwn) => wwn.trim());
  if (wwns.some((wwn) => !/^[0-9A-Za-z:._-]{4,64}$/.test(wwn)))
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify(value.slice(0, 60))}; allowed: WWNs such as 0x5000c500a1b2c3d4, comma-separated`,
    );
  return [...previous, ...wwns];
}

const COMMON_FLAGS = [
  ['--hcloud-token-file <file>', 'file holding the Hetzner Cloud API token [$IMAGEURL_HCLOUD_TOKEN]'],
  [
    '--robot-credentials-file <file>',
    'file holding the Robot webservice login as one line user:password [$IMAGEURL_ROBOT_USER, $IMAGEURL_ROBOT_PASSWORD]',
  ],
  ['--state-dir <dir>', 'where state files live (default: ~/.local/state/imageurl/provision)'],
] as const;

/** Credentials only from files or the environment: a flag's value shows in the process list. */
function withCommonFlags<C>(command: C): C {
  for (const [flags, description] of COMMON_FLAGS) (command as unknown as Command).option(flags, description);
  return command;
}

/** Runs one provision command with Ctrl-C and SIGTERM turned into a stop at a safe point. */
async function withSignals(run: (io: ProvisionIo) => Promise<number>): Promise<void> {
  const termination = terminationSignal(process);
  try {
    process.exitCode = await run({ env: process.env, stdout: process.stdout, signal: termination.signal });
  } finally {
    termination.dispose();
  }
}

const HELP = `
The state file (<state-dir>/<name>.json, mode 0600, no secrets) records where the run is. Ctrl-C
stops at a safe point; the same command (or just --name with the credentials) continues without a
second server or a second command run. Exit codes: 0 running, 1 failed, 2 usage, 130 stopped.
Environment: HCLOUD_ENDPOINT, IMAGEURL_ROBOT_ENDPOINT (other API endpoints), OCI_REGISTRY_AUTH_TOKEN
(given to the command). Guide: docs/provision.md`;

/** `imageurl provision`: one server from an image URL, without a cluster; `provision delete NAME`. */
export function provisionCommand(): Command {
  const command = withCommonFlags(
    new Command('provision')
      .description(
        'install one Hetzner Cloud or dedicated server from an image URL with an image-url-command, without a cluster (resumable)',
      )
      .option('--name <name>', 'server name, and the name of this provision (required)')
      .option('--type <type>', 'Hetzner Cloud server type, e.g. cpx22')
      .option('--location <location>', 'Hetzner Cloud location, e.g. fsn1 (default: chosen by Hetzner)')
      .option('--image-url <url>', "the image, the command's first argument (oci://…, https://…)")
      .option('--command <file>', 'the image-url-command to run in the rescue system')
      .option(
        '--bootstrap-data <file>',
        'bootstrap data (cloud-init, Ignition), /root/bootstrap.data in rescue',
      )
      .option(
        '--ssh-key <file>',
        'private key root logs in with; its public half is added to the project if missing',
      )
      .option(
        '--robot-server <number>',
        'a dedicated server of the Robot account instead of a Cloud server',
        serverNumber,
      )
      .option(
        '--root-device-wwn <wwns>',
        'with --robot-server: the disk(s) to install on; two or more: a RAID',
        wwnList,
      )
      .option(
        '--no-os-check',
        'with --robot-server: done once rebooted, without an SSH check of the installed OS',
      ),
  )
    .addHelpText('after', HELP)
    .action(async (flags) => {
      const { runProvision } = await provisionModule();
      await withSignals((io) => runProvision(flags, io));
    });
  command.addCommand(
    withCommonFlags(
      new Command('delete')
        .description(
          'delete the server a provision created (and the SSH key it uploaded), then its state file',
        )
        .argument('<name>', 'the provision to delete'),
    ).action(async (name, _flags, self) => {
      const { runProvisionDelete } = await provisionModule();
      // The shared flags are provision's too: after `delete` they may land on either.
      const flags = self.optsWithGlobals() as CommonFlags;
      await withSignals((io) => runProvisionDelete(name, flags, io));
    }),
  );
  return command;
}
