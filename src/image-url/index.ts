/**
 * The image-url-command protocol both machines follow (hcloud and bare metal): reaching a
 * pinned rescue boot, starting the command once per attempt, judging it, its events and its
 * timeout. It knows ports and the state-machine engine, no machine.
 */
export type { CommandReport } from './command-report.js';
export { checkCommandName, directoryCommandResolver, fileCommandResolver } from './command-resolver.js';
export { IMAGE_URL_COMMAND_TIMEOUT_MS } from './command-timeout.js';
export { ProvisioningError, isProvisioningError, messageOf, type ProvisioningErrorCode } from './errors.js';
export { commandSecrets } from './command-secrets.js';
export {
  commandRegistryToken,
  imageUrlHost,
  registryTokenFor,
  type RegistryCredential,
} from './registry-token-scope.js';
