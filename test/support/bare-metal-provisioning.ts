// The world of a bare-metal provisioning test: a real kube-apiserver, the Robot simulator with
// dedicated servers that boot real rescue systems and the OS from their disks, an OCI registry
// holding the test image, a commands folder, and the controller in-process (runController) unless
// `controller: 'none'` leaves it to the test (e.g. as a child process, test/support/controller-process.ts).
// The world itself is bench/bare-metal-world.ts (bench/provisioning uses it too); this adds the
// tests' commands.
import {
  diskCommandIn,
  startBareMetalWorld as startWorld,
  type BareMetalWorld,
  type BareMetalWorldOptions as WorldOptions,
} from '../../bench/bare-metal-world.js';

export { diskCommandIn, type BareMetalWorld };

/** The commands the tests name in installImage.imageURLCommand. */
export const commands = {
  /** Records its arguments into `<scratch>/args-<machine name>`, then runs the real disk command. */
  recording: 'image-url-command-record',
  /** Prints and fails without the IMAGE_URL_DONE marker. */
  failing: 'image-url-command-failing',
  /** Prints one line and then runs far past the command timeout. */
  hanging: 'image-url-command-hanging',
} as const;

/** Looks again within a second, so tests follow the simulator's fast hosts without waiting. */
export const FAST_REQUEUE = {
  rebootWaitMs: 1_000,
  rescuePollMs: 500,
  afterCommandStartMs: 1_000,
  commandPollMs: 1_000,
  sshRetryMs: 1_000,
  osPollMs: 1_000,
} as const;

/** Servers, bare-metal settings, `controller: 'none'`, Robot durations (see bench/bare-metal-world.ts). */
export type BareMetalWorldOptions = Omit<
  WorldOptions,
  'commandScripts' | 'settings' | 'logLevel' | 'fieldManager'
>;

function commandScripts(scratch: string): Record<string, string> {
  return {
    [commands.recording]: `#!/bin/bash\nprintf '%s\\n' "$@" > '${scratch}/args-'"$3"\nexec '${diskCommandIn(scratch)}' "$@"\n`,
    [commands.failing]: '#!/bin/bash\necho "writing the disk"\necho "the disk is on fire" >&2\nexit 1\n',
    [commands.hanging]: '#!/bin/bash\necho "downloading forever"\nexec sleep 3600\n',
  };
}

/** Starts everything; undoes what was started when a later step fails. */
export async function startBareMetalWorld(options: BareMetalWorldOptions): Promise<BareMetalWorld> {
  return startWorld({
    ...options,
    commandScripts,
    // IMAGEURL_TEST_LOG=debug shows the runtime's own log lines when a test needs explaining.
    logLevel: process.env.IMAGEURL_TEST_LOG ?? 'silent',
    fieldManager: 'imageurl-test',
  });
}
