import type { Command } from 'commander';
import type { CallOptions } from '../actions/tools.ts';

/**
 * `aia tools list | call`: the agent's tools, run by hand. The work is in cli/actions/tools.ts, loaded
 * when a subcommand runs.
 */

export function registerToolsCommand(program: Command): void {
  const tools = program.command('tools').description("the agent's experiment tools, run by hand");

  tools
    .command('list')
    .description('list the tools with their descriptions (--json adds their JSON Schemas)')
    .option('--json', 'print names, descriptions and input JSON Schemas as JSON')
    .option(
      '--subject <ref>',
      "list the tools this subject gets (default: the vision tools), e.g. a language model's",
    )
    .action(async (opts: { json?: boolean; subject?: string }) => {
      const { runToolsList } = await import('../actions/tools.ts');
      await runToolsList(opts);
    });

  tools
    .command('call <tool> [args]')
    .description(
      'run one tool on a subject with JSON arguments, e.g. call dataset_exemplars \'{"unit": "final_conv:3"}\'',
    )
    .requiredOption(
      '--subject <ref>',
      'zoo name, ONNX file, synthetic:maia[/<mode|id>], synthetic:<file.json>, or synthetic-text:<id|bank|file.json>',
    )
    .option('--out <dir>', 'where to write result images (default runs/tools/<timestamp>)')
    .option('--seed <n>', 'seed of the probe set and seeded tools', '1')
    .option(
      '--probe-set-size <n>',
      "stimuli in the subject's default set: scenes (default 1000), or texts for a text subject (default 400)",
    )
    .option('--json', 'print the result as JSON (text, data, image files)')
    .option('--args-file <file>', "read the JSON arguments from a file ('-': standard input)")
    .option('--zoom <n>', 'enlarge result images by a whole factor (1–8, nearest neighbour)', '1')
    .action(async (name: string, rawArgs: string | undefined, opts: CallOptions) => {
      const { runToolsCall } = await import('../actions/tools.ts');
      await runToolsCall(name, rawArgs, opts);
    });
}
