import { Command } from '@commander-js/extra-typings';
import { controllerCommand } from './commands/controller.js';
import { demoCommand } from './commands/demo.js';
import { imageCommand } from './commands/image.js';
import { provisionCommand } from './commands/provision.js';
import { reportCommand } from './commands/report.js';
import { simCommand } from './commands/sim.js';
import { tryCommandCommand } from './commands/try-command.js';
import { validateCommand } from './commands/validate.js';
import { versionCommand } from './commands/version.js';
import { webhookCommand } from './commands/webhook.js';
import { readPackageInfo } from './package-info.js';
import { servedDefinitionsLoader } from './served-kinds.js';
import { exitCodeOf, withUsageErrors } from './usage-errors.js';

/**
 * The composition root of the CLI: builds what the commands share and hands it to them. Each
 * command lives in its own file under commands/ and receives what it needs; the controller's
 * adapters are built by src/setup/, which the demo runs too. `demo` and `sim` load their code
 * only when they run (docs/adr/0006-production-build-without-simulators.md); the API's kinds and
 * rules are loaded by the commands that need them, so `--help` starts fast.
 */
async function main(argv: readonly string[]): Promise<void> {
  const info = await readPackageInfo();
  const served = servedDefinitionsLoader();
  const program = new Command()
    .name('imageurl')
    .description(
      'Install Hetzner Cloud and dedicated (bare-metal) servers from an image URL with an image-url-command run in the rescue system.',
    )
    .version(info.version, '-V, --version', 'print the version')
    .showHelpAfterError('(run imageurl --help for usage)')
    .addCommand(
      imageCommand({ registryToken: process.env['OCI_REGISTRY_AUTH_TOKEN'], stderr: process.stderr }),
    )
    .addCommand(validateCommand({ load: served, env: process.env }))
    .addCommand(reportCommand({ env: process.env, print: (text) => console.log(text), now: Date.now }))
    .addCommand(provisionCommand())
    .addCommand(tryCommandCommand())
    .addCommand(simCommand())
    .addCommand(controllerCommand(process.env, served, info.version))
    .addCommand(demoCommand(process.stdin.isTTY, served))
    .addCommand(versionCommand(info))
    .addCommand(webhookCommand(served, process.env));
  await withUsageErrors(program).parseAsync([...argv]);
}

main(process.argv).catch((error: unknown) => {
  console.error(`imageurl: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = exitCodeOf(error);
});
