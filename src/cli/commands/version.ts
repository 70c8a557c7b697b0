import { Command } from '@commander-js/extra-typings';
// From kube/config directly, not kube/index: --help must not load the controller runtime.
import { ConfigError } from '../../kube/config/errors.js';
import { readBuildInfo, shortCommit } from '../build-info.js';
import type { PackageInfo } from '../package-info.js';

export function versionCommand(info: PackageInfo): Command {
  return new Command('version')
    .description('print the imageurl version, the commit it was built from and the runtime it runs on')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (options) => {
      if (options.output !== 'json' && options.output !== 'text')
        throw new ConfigError(
          'CONFIG_INVALID_FLAG',
          `--output: invalid value ${JSON.stringify(options.output.slice(0, 40))}; allowed: text, json`,
        );
      // Read only here: asking git costs time every other command should not pay.
      const build = await readBuildInfo();
      const facts = {
        imageurl: info.version,
        commit: build.commit ?? null,
        modified: build.modified,
        node: process.versions.node,
        platform: `${process.platform}/${process.arch}`,
      };
      if (options.output === 'json') console.log(JSON.stringify(facts));
      else
        console.log(
          `imageurl ${facts.imageurl} (commit ${shortCommit(build)}, node ${facts.node}, ${facts.platform})`,
        );
    });
}
