import { importFromCheckout } from '../checkout-module.js';

/**
 * What sim/command/rescue-sandbox.ts offers `imageurl try-command`, loaded from a source
 * checkout only when the command runs (docs/adr/0006-production-build-without-simulators.md);
 * test/static/checkout-modules.test.ts checks that the module fits.
 */
export interface SandboxModule {
  readonly startRescueSandbox: (options: {
    readonly disks: readonly { readonly name: string; readonly sizeBytes: number }[];
  }) => Promise<RescueSandbox>;
}

export interface RescueSandbox {
  readonly address: string;
  readonly port: number;
  readonly privateKey: string;
  readonly disks: readonly { readonly name: string; readonly sizeBytes: number; readonly wwn: string }[];
  writtenBytes(): Promise<number>;
  finish(): Promise<{ readonly writtenBytes: number; readonly disks: readonly DiskContents[] }>;
  destroy(): Promise<void>;
}

export interface DiskContents {
  readonly name: string;
  readonly sizeBytes: number;
  readonly usedBytes: number;
  readonly partitionTable: string;
  readonly partitions: readonly PartitionContents[];
  readonly wholeDisk?: Filesystem;
  readonly simOsImage?: string;
  readonly bootLoaders: readonly string[];
  readonly bootstrapData: readonly {
    readonly kind: string;
    readonly where: string;
    readonly files: readonly string[];
  }[];
}

export interface PartitionContents {
  readonly number: number;
  readonly node: string;
  readonly offsetBytes: number;
  readonly sizeBytes: number;
  readonly type?: string;
  readonly name?: string;
  readonly esp: boolean;
  readonly filesystem?: Filesystem;
}

export interface Filesystem {
  readonly type: string;
  readonly label?: string;
  readonly uuid?: string;
}

export function loadSandboxModule(): Promise<SandboxModule> {
  return importFromCheckout(
    new URL('../../../sim/command/rescue-sandbox.js', import.meta.url),
    'try-command',
  );
}
