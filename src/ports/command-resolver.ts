import type { CommandSource } from './rescue-system.js';

/**
 * Finds the image-url-command a machine names; rejects with a `COMMAND_NOT_ACCESSIBLE` error
 * when the name is not allowed or the file is not usable. Implemented by
 * `directoryCommandResolver` (src/image-url/command-resolver.ts) over the controller's `/shared`.
 */
export interface CommandResolver {
  resolve(name: string): Promise<CommandSource>;
}
