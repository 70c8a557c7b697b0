import type { ControllerSettings } from '../setup/index.js';
import type { KindRef, KubeClient } from '../kube/index.js';
import type { StateReader } from './boot-progress.js';
import type { DemoPaths } from './demo-paths.js';
import type { LookAroundHints, OsTarget } from './demo-report.js';
import type { DemoStack, StackStep } from './demo-stack.js';

/**
 * What differs between the demo's stories (Hetzner Cloud servers, dedicated servers): what it
 * starts besides the common stack, which objects it applies, what it follows and how it reads
 * their states, and where the installed OS answers. run-demo.ts tells the rest the same way.
 */
export interface DemoFlavour {
  /** The kind whose states the progress follows. */
  readonly followed: KindRef;
  readonly states: StateReader;
  /** What is followed, singular ("machine", "host"; the plural adds an s). */
  readonly noun: string;
  /** The final state that means success. */
  readonly successState: string;
  /** Controller settings only this flavour needs, and secrets to keep out of the controller's log. */
  readonly controller: {
    readonly settings: Pick<ControllerSettings, 'robotEndpoint' | 'bareMetal'>;
    readonly secrets: readonly string[];
  };
  /** The step title of `apply`. */
  readonly applying: string;
  /** Creates the cluster and the machines named `machines`; returns the step's detail. */
  apply(client: KubeClient, machines: readonly string[]): Promise<string>;
  /** The installed OS of each machine, once the followed objects are final. */
  osTargets(client: KubeClient): Promise<OsTarget[]>;
  readonly lookAround: LookAroundHints;
  /** How many followed objects the story ends with (default: the machines asked for). */
  readonly expected?: number;
  /** Follows more than the followed kind while the machines provision; returns its stop. */
  follow?(client: KubeClient, print: (line: string) => void): () => Promise<void>;
  /** Checks the outcome instead of logging in to each installed OS; true when it is as promised. */
  finish?(client: KubeClient, print: (line: string) => void): Promise<boolean>;
}

/** What a flavour is built from. */
export interface FlavourContext {
  readonly paths: DemoPaths;
  readonly stack: DemoStack;
  readonly machines: number;
  readonly timeScale: number;
  readonly imageURLCommand: string;
  /** The rescue key's name in the Cloud project (registered as a user would). */
  readonly rescueKeyName: string;
  readonly cleanups: (() => Promise<void>)[];
  readonly step: StackStep;
}
