import { Command } from '@commander-js/extra-typings';
import type { PackageInfo } from '../package-info.js';

export function versionCommand(info: PackageInfo): Command {
  return new Command('version')
    .description('print the imageurl version and the runtime it runs on')
    .option('-o, --output <format>', 'text or json', 'text')
    .action((options) => {
      const facts = {
        imageurl: info.version,
        node: process.versions.node,
        platform: `${process.platform}/${process.arch}`,
      };
      if (options.output === 'json') console.log(JSON.stringify(facts));
      else if (options.output === 'text')
        console.log(`imageurl ${facts.imageurl} (node ${facts.node}, ${facts.platform})`);
      else
        throw new Error(
          `--output: invalid value ${JSON.stringify(options.output.slice(0, 40))}; allowed: text, json`,
        );
    });
}
