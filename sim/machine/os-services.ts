/** What an installed OS's services are told when it has booted. */
export interface OsBootContext {
  /** The bootstrap data the OS booted with (cloud-init's user data). */
  readonly bootstrapData: string;
  readonly hostname: string;
  /** The server's address (its public IPv4). */
  readonly address: string;
  /** The booted system's root seen from the simulator (`/proc/<pid>/root`), to write its files. */
  readonly systemRoot: string | undefined;
  /** This server's folder for the services' own state: kept across boots (its disk), removed with the server. */
  readonly stateDir: string;
  /** The instance metadata cloud-init reads (server name and ID), when the simulator has it. */
  readonly instance: { readonly name: string; readonly id: string } | undefined;
}

export interface RunningOsServices {
  /** Ends everything the services started (the OS went down). */
  stop(): Promise<void>;
}

/** Starts the services an installed OS runs after boot, or none (undefined) for its bootstrap data. */
export type OsServices = (context: OsBootContext) => RunningOsServices | undefined;

/**
 * The services of the OS that is up right now: at most one set per machine, stopped before
 * anything else boots or when the power goes.
 */
export class OsServiceSlot {
  private running: RunningOsServices | undefined;

  constructor(private readonly services: OsServices | undefined) {}

  start(context: OsBootContext): void {
    this.running = this.services?.(context);
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await running?.stop();
  }
}
